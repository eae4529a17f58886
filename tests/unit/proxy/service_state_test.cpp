// The desired state of one Service (proxy.md §4, §6, §11, §12, §14): virtual services,
// destinations, kube-dummy-if VIPs, hairpin rules and the health check, for every kind of
// service address, traffic policy, annotation and flag.
#include "controllers/proxy/service_state.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fixtures.h"

namespace kr::proxy {
namespace {

using testing::build;
using testing::default_settings;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ingress;
using testing::ipvs_table;
using ::testing::IsEmpty;
using testing::node_a;
using testing::port;
using testing::service;
using testing::slice;
using testing::texts;

using Slices = std::vector<std::shared_ptr<const k8s::EndpointSlice>>;

// proxy.md §14's "web": one local and one remote endpoint.
k8s::Service web() { return service("default", "web", {"10.96.0.50"}, {port("http", 80)}); }
Slices web_endpoints() {
  return {slice("default", "web-1", "web", {{"http", 8080}},
                {{.ip = "10.244.1.5"}, {.ip = "10.244.2.7", .node = "node-b"}})};
}

// proxy.md §14's "api": NodePort, ClientIP affinity, lc, one remote endpoint.
k8s::Service api() {
  auto s = service("default", "api", {"10.96.0.60"}, {port("", 443, "TCP", 30443)});
  s.type = k8s::Interned("NodePort");
  s.session_affinity = k8s::Interned("ClientIP");
  s.meta.annotations.set("kube-router.io/service.scheduler", "lc");
  return s;
}
Slices api_endpoints() {
  return {slice("default", "api-1", "api", {{"", 8443}}, {{.ip = "10.244.2.9", .node = "node-b"}})};
}

TEST(ServiceState, WorkedExampleClusterIp) {
  const auto st = build(web(), web_endpoints());
  EXPECT_THAT(ipvs_table(st),
              ElementsAre("TCP 10.96.0.50:80 rr -> 10.244.1.5:8080,10.244.2.7:8080"));
  EXPECT_THAT(texts(st.vips), ElementsAre("10.96.0.50"));
  EXPECT_THAT(st.hairpin_rules, IsEmpty());
  EXPECT_FALSE(st.health_check);
  EXPECT_THAT(st.problems, IsEmpty());
}

TEST(ServiceState, WorkedExampleNodePortWithAffinity) {
  const auto st = build(api(), api_endpoints());
  EXPECT_THAT(ipvs_table(st),
              ElementsAre("TCP 10.96.0.60:443 lc persistent 10800 -> 10.244.2.9:8443",
                          "TCP 192.168.1.10:30443 lc persistent 10800 -> 10.244.2.9:8443"));
  // NodePort addresses are never put on kube-dummy-if (§4.3).
  EXPECT_THAT(texts(st.vips), ElementsAre("10.96.0.60"));
}

TEST(ServiceState, WorkedExampleExternalPolicyLocalWithoutLocalEndpoint) {
  auto s = api();
  s.external_traffic_policy = k8s::Interned("Local");
  const auto st = build(s, api_endpoints());
  // No NodePort service on node-a; the ClusterIP is unchanged.
  EXPECT_THAT(ipvs_table(st),
              ElementsAre("TCP 10.96.0.60:443 lc persistent 10800 -> 10.244.2.9:8443"));
}

TEST(ServiceState, ServiceWithoutEndpointsKeepsItsVirtualService) {
  const auto st = build(web(), {});
  EXPECT_THAT(ipvs_table(st), ElementsAre("TCP 10.96.0.50:80 rr -> (none)"));
  EXPECT_THAT(texts(st.vips), ElementsAre("10.96.0.50"));
}

TEST(ServiceState, PortsMatchEndpointsByName) {
  auto s = service("kube-system", "dns", {"10.96.0.10"},
                   {port("dns", 53, "UDP"), port("dns-tcp", 53, "TCP"), port("metrics", 9153)});
  const Slices slices{slice("kube-system", "dns-1", "dns", {{"dns", 5353}, {"dns-tcp", 5354}},
                            {{.ip = "10.244.1.2"}})};
  EXPECT_THAT(ipvs_table(build(s, slices)), ElementsAre("TCP 10.96.0.10:53 rr -> 10.244.1.2:5354",
                                                        "TCP 10.96.0.10:9153 rr -> (none)",
                                                        "UDP 10.96.0.10:53 rr -> 10.244.1.2:5353"));
}

TEST(ServiceState, SctpService) {
  auto s = service("default", "sig", {"10.96.0.70"}, {port("s", 3868, "SCTP", 31868)});
  const Slices slices{slice("default", "sig-1", "sig", {{"s", 3868}}, {{.ip = "10.244.1.9"}})};
  EXPECT_THAT(ipvs_table(build(s, slices)),
              ElementsAre("SCTP 10.96.0.70:3868 rr -> 10.244.1.9:3868",
                          "SCTP 192.168.1.10:31868 rr -> 10.244.1.9:3868"));
}

TEST(ServiceState, SchedulerAndMaglevFlagsOnEveryVirtualService) {
  auto s = api();
  s.meta.annotations.set("kube-router.io/service.scheduler", "mh");
  s.meta.annotations.set("kube-router.io/service.schedflags", "flag-1,flag-2");
  s.session_affinity = k8s::Interned("None");
  s.external_ips = {"198.51.100.5"};
  EXPECT_THAT(ipvs_table(build(s, api_endpoints())),
              ElementsAre("TCP 10.96.0.60:443 mh flags 0x18 -> 10.244.2.9:8443",
                          "TCP 192.168.1.10:30443 mh flags 0x18 -> 10.244.2.9:8443",
                          "TCP 198.51.100.5:443 mh flags 0x18 -> 10.244.2.9:8443"));
}

TEST(ServiceState, AffinityTimeoutFromSpec) {
  auto s = web();
  s.session_affinity = k8s::Interned("ClientIP");
  s.session_affinity_timeout_seconds = 30;
  s.meta.annotations.set("kube-router.io/service.scheduler", "sh");
  EXPECT_THAT(ipvs_table(build(s, web_endpoints())),
              ElementsAre("TCP 10.96.0.50:80 sh persistent 30 -> 10.244.1.5:8080,10.244.2.7:8080"));
}

TEST(ServiceState, ExternalAndLoadBalancerIps) {
  auto s = web();
  s.type = k8s::Interned("LoadBalancer");
  s.external_ips = {"198.51.100.5"};
  s.load_balancer_ingress = {ingress("203.0.113.7"), ingress("198.51.100.5")};
  const auto st = build(s, web_endpoints());
  EXPECT_THAT(ipvs_table(st),
              ElementsAre("TCP 10.96.0.50:80 rr -> 10.244.1.5:8080,10.244.2.7:8080",
                          "TCP 198.51.100.5:80 rr -> 10.244.1.5:8080,10.244.2.7:8080",
                          "TCP 203.0.113.7:80 rr -> 10.244.1.5:8080,10.244.2.7:8080"));
  EXPECT_THAT(texts(st.vips), ElementsAre("10.96.0.50", "198.51.100.5", "203.0.113.7"));
}

TEST(ServiceState, SkipLbIpsKeepsExternalIps) {
  auto s = web();
  s.external_ips = {"198.51.100.5"};
  s.load_balancer_ingress = {ingress("203.0.113.7")};
  s.meta.annotations.set("kube-router.io/service.skiplbips", "");
  const auto st = build(s, web_endpoints());
  EXPECT_THAT(texts(st.vips), ElementsAre("10.96.0.50", "198.51.100.5"));
  EXPECT_EQ(st.virtual_services.size(), 2u);
}

TEST(ServiceState, RejectedExternalIpsAreNotProgrammed) {
  auto settings = default_settings();
  settings.validator =
      ServiceIpValidator({.strict = true, .external_ip = {*Cidr::parse("198.51.100.0/24")}});
  auto s = web();
  s.external_ips = {"198.51.100.5", "192.0.2.1"};
  const auto st = build(s, web_endpoints(), node_a(), settings);
  EXPECT_THAT(texts(st.vips), ElementsAre("10.96.0.50", "198.51.100.5"));
}

TEST(ServiceState, ExternalPolicyLocalSendsExternalTrafficOnlyToLocalEndpoints) {
  auto s = web();
  s.type = k8s::Interned("LoadBalancer");
  s.ports = {port("http", 80, "TCP", 30080)};
  s.external_ips = {"198.51.100.5"};
  s.load_balancer_ingress = {ingress("203.0.113.7")};
  s.external_traffic_policy = k8s::Interned("Local");
  EXPECT_THAT(ipvs_table(build(s, web_endpoints())),
              ElementsAre("TCP 10.96.0.50:80 rr -> 10.244.1.5:8080,10.244.2.7:8080",
                          "TCP 192.168.1.10:30080 rr -> 10.244.1.5:8080",
                          "TCP 198.51.100.5:80 rr -> 10.244.1.5:8080",
                          "TCP 203.0.113.7:80 rr -> 10.244.1.5:8080"));
}

TEST(ServiceState, ExternalPolicyLocalWithoutLocalEndpointsDropsExternalAddresses) {
  auto s = web();
  s.ports = {port("http", 80, "TCP", 30080)};
  s.external_ips = {"198.51.100.5"};
  s.external_traffic_policy = k8s::Interned("Local");
  const Slices remote_only{
      slice("default", "web-1", "web", {{"http", 8080}}, {{.ip = "10.244.2.7", .node = "node-b"}})};
  const auto st = build(s, remote_only);
  EXPECT_THAT(ipvs_table(st), ElementsAre("TCP 10.96.0.50:80 rr -> 10.244.2.7:8080"));
  EXPECT_THAT(texts(st.vips), ElementsAre("10.96.0.50"));
}

TEST(ServiceState, InternalPolicyLocal) {
  auto s = web();
  s.internal_traffic_policy = k8s::Interned("Local");
  EXPECT_THAT(ipvs_table(build(s, web_endpoints())),
              ElementsAre("TCP 10.96.0.50:80 rr -> 10.244.1.5:8080"));

  const Slices remote_only{
      slice("default", "web-1", "web", {{"http", 8080}}, {{.ip = "10.244.2.7", .node = "node-b"}})};
  const auto none = build(s, remote_only);
  EXPECT_THAT(none.virtual_services, IsEmpty());
  EXPECT_THAT(none.vips, IsEmpty());
}

TEST(ServiceState, LocalAnnotationAffectsOnlyExternalTraffic) {
  auto s = web();
  s.ports = {port("http", 80, "TCP", 30080)};
  s.internal_traffic_policy = k8s::Interned("Local");
  s.meta.annotations.set("kube-router.io/service.local", "true");
  EXPECT_THAT(ipvs_table(build(s, web_endpoints())),
              ElementsAre("TCP 10.96.0.50:80 rr -> 10.244.1.5:8080,10.244.2.7:8080",
                          "TCP 192.168.1.10:30080 rr -> 10.244.1.5:8080"));
}

TEST(ServiceState, TerminatingButServingEndpointsAreDestinations) {
  const Slices slices{slice("default", "web-1", "web", {{"http", 8080}},
                            {{.ip = "10.244.1.5", .ready = false, .terminating = true},
                             {.ip = "10.244.2.7",
                              .node = "node-b",
                              .ready = false,
                              .serving = false,
                              .terminating = true}})};
  EXPECT_THAT(ipvs_table(build(web(), slices)),
              ElementsAre("TCP 10.96.0.50:80 rr -> 10.244.1.5:8080"));
}

TEST(ServiceState, NodePortBindOnAllIps) {
  auto settings = default_settings();
  settings.nodeport_bindon_all_ip = true;
  auto node = node_a();
  node.local_addresses.push_back(IpAddress::must_parse("172.16.0.3"));
  node.local_addresses.push_back(IpAddress::must_parse("fe80::1"));
  auto s = web();
  s.ports = {port("http", 80, "TCP", 30080)};
  EXPECT_THAT(ipvs_table(build(s, web_endpoints(), node, settings)),
              ElementsAre("TCP 10.96.0.50:80 rr -> 10.244.1.5:8080,10.244.2.7:8080",
                          "TCP 127.0.0.1:30080 rr -> 10.244.1.5:8080,10.244.2.7:8080",
                          "TCP 172.16.0.3:30080 rr -> 10.244.1.5:8080,10.244.2.7:8080",
                          "TCP 192.168.1.10:30080 rr -> 10.244.1.5:8080,10.244.2.7:8080",
                          // v6 addresses of a v4-only service get empty virtual services.
                          "TCP [fe80::1]:30080 rr -> (none)"));
}

TEST(ServiceState, AllocateLoadBalancerNodePortsFalseMeansNoNodePort) {
  auto s = web();
  s.type = k8s::Interned("LoadBalancer");
  s.load_balancer_ingress = {ingress("203.0.113.7")};
  EXPECT_THAT(ipvs_table(build(s, web_endpoints())),
              ElementsAre("TCP 10.96.0.50:80 rr -> 10.244.1.5:8080,10.244.2.7:8080",
                          "TCP 203.0.113.7:80 rr -> 10.244.1.5:8080,10.244.2.7:8080"));
}

TEST(ServiceState, DualStackServiceOnDualStackNode) {
  auto s =
      service("default", "dual", {"10.96.0.7", "fd00:96::7"}, {port("http", 80, "TCP", 30080)});
  s.external_ips = {"198.51.100.5", "2001:db8::5"};
  const Slices slices{slice("default", "dual-4", "dual", {{"http", 8080}}, {{.ip = "10.244.1.5"}}),
                      slice("default", "dual-6", "dual", {{"http", 8080}},
                            {{.ip = "fd00:244:1::5"}, {.ip = "fd00:244:2::7", .node = "node-b"}})};
  const auto st = build(s, slices, node_a(/*dual_stack=*/true));
  // Destinations always come from the VIP's own family.
  EXPECT_THAT(ipvs_table(st),
              ElementsAre("TCP 10.96.0.7:80 rr -> 10.244.1.5:8080",
                          "TCP 192.168.1.10:30080 rr -> 10.244.1.5:8080",
                          "TCP 198.51.100.5:80 rr -> 10.244.1.5:8080",
                          "TCP [2001:db8::5]:80 rr -> [fd00:244:1::5]:8080,[fd00:244:2::7]:8080",
                          "TCP [fd00:1::10]:30080 rr -> [fd00:244:1::5]:8080,[fd00:244:2::7]:8080",
                          "TCP [fd00:96::7]:80 rr -> [fd00:244:1::5]:8080,[fd00:244:2::7]:8080"));
  EXPECT_THAT(texts(st.vips),
              ElementsAre("10.96.0.7", "198.51.100.5", "2001:db8::5", "fd00:96::7"));
}

TEST(ServiceState, SingleStackV6Service) {
  auto s = service("default", "v6", {"fd00:96::8"}, {port("http", 80, "TCP", 30080)});
  const Slices slices{slice("default", "v6-1", "v6", {{"http", 8080}}, {{.ip = "fd00:244:1::5"}})};
  // NodePort only in the families the service has cluster IPs of.
  EXPECT_THAT(ipvs_table(build(s, slices, node_a(true))),
              ElementsAre("TCP [fd00:1::10]:30080 rr -> [fd00:244:1::5]:8080",
                          "TCP [fd00:96::8]:80 rr -> [fd00:244:1::5]:8080"));
}

TEST(ServiceState, V6AddressesOnAV4OnlyNodeAreReported) {
  auto s =
      service("default", "dual", {"10.96.0.7", "fd00:96::7"}, {port("http", 80, "TCP", 30080)});
  const auto st = build(s, {}, node_a(/*dual_stack=*/false));
  EXPECT_THAT(ipvs_table(st),
              ElementsAre("TCP 10.96.0.7:80 rr -> (none)", "TCP 192.168.1.10:30080 rr -> (none)"));
  EXPECT_THAT(st.problems,
              ElementsAre(HasSubstr("fd00:96::7 not programmed: the node has no IPv6")));
}

TEST(ServiceState, DsrTunnelExternalIpsAreNotProgrammedYet) {
  auto s = web();
  s.external_ips = {"198.51.100.5"};
  s.meta.annotations.set("kube-router.io/service.dsr", "tunnel");
  const auto st = build(s, web_endpoints());
  EXPECT_THAT(ipvs_table(st),
              ElementsAre("TCP 10.96.0.50:80 rr -> 10.244.1.5:8080,10.244.2.7:8080"));
  EXPECT_THAT(texts(st.vips), ElementsAre("10.96.0.50"));
  EXPECT_THAT(st.problems, ElementsAre(HasSubstr("service.dsr=tunnel is not supported yet")));
}

TEST(ServiceState, SloppyTcpWithDsrAndMaglev) {
  auto s = web();
  s.meta.annotations.set("kube-router.io/service.dsr", "any");
  EXPECT_FALSE(build(s, {}).sloppy_tcp);
  s.meta.annotations.set("kube-router.io/service.scheduler", "mh");
  EXPECT_TRUE(build(s, {}).sloppy_tcp);
}

TEST(ServiceState, NoHairpinRulesByDefault) {
  EXPECT_THAT(build(web(), web_endpoints()).hairpin_rules, IsEmpty());
}

std::vector<std::string> rules(const ServiceState& st) {
  std::vector<std::string> out;
  for (const HairpinRule& r : st.hairpin_rules) out.push_back(r.rule);
  return out;
}

TEST(ServiceState, HairpinAnnotationCoversLocalEndpointsOnly) {
  auto s = web();
  s.meta.annotations.set("kube-router.io/service.hairpin", "");
  EXPECT_THAT(rules(build(s, web_endpoints())),
              ElementsAre("-s 10.244.1.5/32 -d 10.244.1.5/32 -m ipvs --vaddr 10.96.0.50 --vport 80 "
                          "-j SNAT --to-source 10.96.0.50"));
}

TEST(ServiceState, HairpinModeFlagCoversEveryServiceAndNodePorts) {
  auto settings = default_settings();
  settings.hairpin_mode = true;
  auto s = web();
  s.ports = {port("http", 80, "TCP", 30080)};
  s.external_ips = {"198.51.100.5"};
  auto node = node_a();
  node.node_ips.push_back(IpAddress::must_parse("203.0.113.10"));  // an ExternalIP
  EXPECT_THAT(rules(build(s, web_endpoints(), node, settings)),
              ElementsAre("-s 10.244.1.5/32 -d 10.244.1.5/32 -m ipvs --vaddr 10.96.0.50 --vport 80 "
                          "-j SNAT --to-source 10.96.0.50",
                          "-s 10.244.1.5/32 -d 10.244.1.5/32 -m ipvs --vaddr 192.168.1.10 --vport "
                          "30080 -j SNAT --to-source 192.168.1.10",
                          "-s 10.244.1.5/32 -d 10.244.1.5/32 -m ipvs --vaddr 203.0.113.10 --vport "
                          "30080 -j SNAT --to-source 203.0.113.10"));
}

TEST(ServiceState, HairpinExternalIpsAnnotation) {
  auto s = web();
  s.external_ips = {"198.51.100.5"};
  s.load_balancer_ingress = {ingress("203.0.113.7")};
  s.meta.annotations.set("kube-router.io/service.hairpin", "");
  s.meta.annotations.set("kube-router.io/service.hairpin.externalips", "");
  // LB IPs are never hairpinned.
  EXPECT_THAT(rules(build(s, web_endpoints())),
              ElementsAre("-s 10.244.1.5/32 -d 10.244.1.5/32 -m ipvs --vaddr 10.96.0.50 --vport 80 "
                          "-j SNAT --to-source 10.96.0.50",
                          "-s 10.244.1.5/32 -d 10.244.1.5/32 -m ipvs --vaddr 198.51.100.5 --vport "
                          "80 -j SNAT --to-source 198.51.100.5"));

  s.meta.annotations = {};
  s.meta.annotations.set("kube-router.io/service.hairpin.externalips", "");
  EXPECT_THAT(rules(build(s, web_endpoints())), IsEmpty());  // needs hairpin itself
}

TEST(ServiceState, HairpinV6UsesV6AddressesOnly) {
  auto s = service("default", "dual", {"10.96.0.7", "fd00:96::7"}, {port("http", 80)});
  s.meta.annotations.set("kube-router.io/service.hairpin", "");
  const Slices slices{
      slice("default", "dual-6", "dual", {{"http", 8080}}, {{.ip = "fd00:244:1::5"}})};
  const auto st = build(s, slices, node_a(true));
  ASSERT_EQ(st.hairpin_rules.size(), 1u);
  EXPECT_EQ(st.hairpin_rules[0].family, Family::kIPv6);
  EXPECT_EQ(st.hairpin_rules[0].rule,
            "-s fd00:244:1::5/128 -d fd00:244:1::5/128 -m ipvs --vaddr fd00:96::7 --vport 80 -j "
            "SNAT --to-source fd00:96::7");
}

TEST(ServiceState, HealthCheckCountsLocalNonTerminatingEndpoints) {
  auto s = web();
  s.type = k8s::Interned("LoadBalancer");
  s.external_traffic_policy = k8s::Interned("Local");
  s.health_check_node_port = 32100;
  const Slices slices{slice("default", "web-1", "web", {{"http", 8080}},
                            {{.ip = "10.244.1.5"},
                             {.ip = "10.244.1.6"},
                             {.ip = "10.244.1.7", .ready = false, .terminating = true},
                             {.ip = "10.244.2.7", .node = "node-b"}})};
  const auto st = build(s, slices);
  ASSERT_TRUE(st.health_check);
  EXPECT_EQ(st.health_check->port, 32100);
  EXPECT_EQ(st.health_check->local_endpoints, 2u);

  const auto none = build(s, {});
  ASSERT_TRUE(none.health_check);
  EXPECT_EQ(none.health_check->local_endpoints, 0u);
  EXPECT_FALSE(build(web(), web_endpoints()).health_check);
}

}  // namespace
}  // namespace kr::proxy
