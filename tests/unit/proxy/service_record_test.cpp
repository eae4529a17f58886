// Reading a Service (proxy.md §1.3, §2; annotations.md): what is skipped, how each annotation
// and spec field turns into the record the builder uses.
#include "controllers/proxy/service_record.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fixtures.h"

namespace kr::proxy {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ingress;
using ::testing::IsEmpty;
using testing::port;
using testing::service;
using testing::texts;

ServiceReadResult read(const k8s::Service& s, ServiceIpRanges ranges = {.strict = false}) {
  return read_service(s, ServiceIpValidator(std::move(ranges)));
}

k8s::Service web() { return service("default", "web", {"10.96.0.50"}, {port("http", 80)}); }

TEST(ServiceRecord, ReadsAddressesPortsAndDefaults) {
  const auto r = read(web());
  ASSERT_TRUE(r.record);
  EXPECT_EQ(r.record->id, (ServiceId{"default", "web"}));
  EXPECT_THAT(texts(r.record->cluster_ips), ElementsAre("10.96.0.50"));
  ASSERT_EQ(r.record->ports.size(), 1u);
  EXPECT_EQ(r.record->ports[0].name, "http");
  EXPECT_EQ(r.record->ports[0].port, 80);
  EXPECT_EQ(r.record->ports[0].protocol, ipvs::Protocol::kTcp);
  EXPECT_EQ(r.record->scheduler, "rr");
  EXPECT_EQ(r.record->ipvs_flags(), 0u);
  EXPECT_FALSE(r.record->internal_local);
  EXPECT_FALSE(r.record->external_local);
  EXPECT_THAT(r.problems, IsEmpty());
}

TEST(ServiceRecord, SkipsServicesTheProxyDoesNotHandle) {
  auto none = web();
  none.cluster_ip = "None";
  EXPECT_FALSE(read(none).record);
  auto none_lower = web();
  none_lower.cluster_ip = "none";
  EXPECT_FALSE(read(none_lower).record);
  auto no_ip = web();
  no_ip.cluster_ip = "";
  EXPECT_FALSE(read(no_ip).record);
  auto external_name = web();
  external_name.type = k8s::Interned("ExternalName");
  EXPECT_FALSE(read(external_name).record);
  auto headless = web();
  headless.meta.labels.set("service.kubernetes.io/headless", "");
  EXPECT_FALSE(read(headless).record);
  auto other_proxy = web();
  other_proxy.meta.labels.set("service.kubernetes.io/service-proxy-name", "cilium");
  EXPECT_FALSE(read(other_proxy).record);
  auto ours = web();
  ours.meta.labels.set("service.kubernetes.io/service-proxy-name", "kube-router");
  EXPECT_TRUE(read(ours).record);
}

TEST(ServiceRecord, MergesClusterIpsOfBothFamilies) {
  auto s = service("default", "dual", {"10.96.0.7", "fd00:96::7"}, {port("", 53, "UDP")});
  s.cluster_ip = "10.96.0.7";
  const auto r = read(s);
  ASSERT_TRUE(r.record);
  EXPECT_THAT(texts(r.record->cluster_ips), ElementsAre("10.96.0.7", "fd00:96::7"));
  EXPECT_EQ(r.record->ports[0].protocol, ipvs::Protocol::kUdp);
}

TEST(ServiceRecord, ReportsBadClusterIpAndKeepsTheRest) {
  auto s = service("default", "bad", {"10.96.0.7", "10.96.0.999"}, {port("", 80)});
  const auto r = read(s);
  ASSERT_TRUE(r.record);
  EXPECT_THAT(texts(r.record->cluster_ips), ElementsAre("10.96.0.7"));
  EXPECT_THAT(r.problems, ElementsAre(HasSubstr("10.96.0.999")));
}

TEST(ServiceRecord, ProtocolsAreCaseInsensitiveAndUnknownOnesAreReported) {
  auto s = service("default", "p", {"10.96.0.8"},
                   {port("a", 1, "tcp"), port("b", 2, "Udp"), port("c", 3, "SCTP"),
                    port("d", 4, "ICMP"), port("e", 5, "")});
  const auto r = read(s);
  ASSERT_TRUE(r.record);
  ASSERT_EQ(r.record->ports.size(), 4u);
  EXPECT_EQ(r.record->ports[0].protocol, ipvs::Protocol::kTcp);
  EXPECT_EQ(r.record->ports[1].protocol, ipvs::Protocol::kUdp);
  EXPECT_EQ(r.record->ports[2].protocol, ipvs::Protocol::kSctp);
  EXPECT_EQ(r.record->ports[3].name, "e");  // API default TCP
  EXPECT_THAT(r.problems, ElementsAre(HasSubstr("ICMP")));
}

TEST(ServiceRecord, RejectsOutOfRangePorts) {
  auto s = service("default", "p", {"10.96.0.8"}, {port("a", 70000), port("b", 80, "TCP", -1)});
  const auto r = read(s);
  ASSERT_TRUE(r.record);
  EXPECT_THAT(r.record->ports, IsEmpty());
  EXPECT_EQ(r.problems.size(), 2u);
}

TEST(ServiceRecord, SchedulerAnnotation) {
  for (const std::string name : {"rr", "lc", "dh", "sh", "mh"}) {
    auto s = web();
    s.meta.annotations.set("kube-router.io/service.scheduler", name);
    EXPECT_EQ(read(s).record->scheduler, name);
  }
  for (const std::string name : {"wrr", "RR", "", "sed"}) {
    auto s = web();
    s.meta.annotations.set("kube-router.io/service.scheduler", name);
    EXPECT_EQ(read(s).record->scheduler, "rr") << name;
  }
}

TEST(ServiceRecord, SchedulerFlagsOnlyWithMaglev) {
  auto mh = web();
  mh.meta.annotations.set("kube-router.io/service.scheduler", "mh");
  mh.meta.annotations.set("kube-router.io/service.schedflags", "flag-1, flag-2 ,bogus");
  EXPECT_EQ(read(mh).record->ipvs_flags(), ipvs::flags::kSched1 | ipvs::flags::kSched2);

  mh.meta.annotations.set("kube-router.io/service.schedflags", "flag-3");
  EXPECT_EQ(read(mh).record->ipvs_flags(), ipvs::flags::kSched3);

  auto sh = web();
  sh.meta.annotations.set("kube-router.io/service.scheduler", "sh");
  sh.meta.annotations.set("kube-router.io/service.schedflags", "flag-1,flag-2");
  EXPECT_EQ(read(sh).record->ipvs_flags(), 0u);
}

TEST(ServiceRecord, ClientIpAffinityBecomesPersistence) {
  auto s = web();
  s.session_affinity = k8s::Interned("ClientIP");
  auto r = read(s);
  EXPECT_TRUE(r.record->session_affinity);
  EXPECT_EQ(r.record->affinity_timeout, 10800u);  // API default
  EXPECT_EQ(r.record->ipvs_flags(), ipvs::flags::kPersistent);

  s.session_affinity_timeout_seconds = 60;
  EXPECT_EQ(read(s).record->affinity_timeout, 60u);

  s.session_affinity_timeout_seconds = 0;
  r = read(s);
  EXPECT_EQ(r.record->affinity_timeout, 10800u);
  EXPECT_THAT(r.problems, ElementsAre(HasSubstr("session affinity timeout 0")));
}

TEST(ServiceRecord, TrafficPolicies) {
  auto s = web();
  s.internal_traffic_policy = k8s::Interned("Local");
  s.external_traffic_policy = k8s::Interned("Local");
  auto r = read(s);
  EXPECT_TRUE(r.record->internal_local);
  EXPECT_TRUE(r.record->external_local);

  s.internal_traffic_policy = k8s::Interned("Cluster");
  s.external_traffic_policy = k8s::Interned("");
  r = read(s);
  EXPECT_FALSE(r.record->internal_local);
  EXPECT_FALSE(r.record->external_local);
}

TEST(ServiceRecord, LocalAnnotationForcesExternalLocalAndInternalCluster) {
  auto s = web();
  s.internal_traffic_policy = k8s::Interned("Local");
  s.meta.annotations.set("kube-router.io/service.local", "true");
  auto r = read(s);
  EXPECT_TRUE(r.record->external_local);
  EXPECT_FALSE(r.record->internal_local);

  s.meta.annotations.set("kube-router.io/service.local", "True");  // only exactly "true"
  r = read(s);
  EXPECT_FALSE(r.record->external_local);
  EXPECT_TRUE(r.record->internal_local);
}

TEST(ServiceRecord, PresenceAnnotations) {
  auto s = web();
  auto r = read(s);
  EXPECT_FALSE(r.record->hairpin || r.record->hairpin_external_ips || r.record->skip_lb_ips ||
               r.record->dsr);
  s.meta.annotations.set("kube-router.io/service.hairpin", "");
  s.meta.annotations.set("kube-router.io/service.hairpin.externalips", "");
  s.meta.annotations.set("kube-router.io/service.skiplbips", "false");  // value ignored
  s.meta.annotations.set("kube-router.io/service.dsr", "yes");
  r = read(s);
  EXPECT_TRUE(r.record->hairpin);
  EXPECT_TRUE(r.record->hairpin_external_ips);
  EXPECT_TRUE(r.record->skip_lb_ips);
  EXPECT_TRUE(r.record->dsr);
  EXPECT_FALSE(r.record->dsr_tunnel);
  s.meta.annotations.set("kube-router.io/service.dsr", "tunnel");
  EXPECT_TRUE(read(s).record->dsr_tunnel);
}

k8s::LoadBalancerIngress hostname_only() {
  k8s::LoadBalancerIngress in;
  in.hostname = "lb.example.com";
  return in;
}

TEST(ServiceRecord, LoadBalancerIngressSkipsHostnamesAndProxyMode) {
  auto s = web();
  s.type = k8s::Interned("LoadBalancer");
  s.load_balancer_ingress = {ingress("203.0.113.1"), hostname_only(),
                             ingress("203.0.113.2", "Proxy"), ingress("203.0.113.3", "VIP"),
                             ingress("203.0.113.1")};
  EXPECT_THAT(texts(read(s).record->loadbalancer_ips), ElementsAre("203.0.113.1", "203.0.113.3"));
}

TEST(ServiceRecord, StrictValidationFiltersExternalAndLoadBalancerIps) {
  auto s = web();
  s.external_ips = {"198.51.100.5", "192.0.2.9", "10.96.0.99", "not-an-ip"};
  s.load_balancer_ingress = {ingress("203.0.113.7"), ingress("198.51.100.6")};
  const ServiceIpRanges ranges{
      .strict = true,
      .cluster_ip = {*Cidr::parse("10.96.0.0/12")},
      .external_ip = {*Cidr::parse("198.51.100.0/24"), *Cidr::parse("10.96.0.0/24")},
      .loadbalancer_ip = {*Cidr::parse("203.0.113.0/24")}};
  const auto r = read(s, ranges);
  ASSERT_TRUE(r.record);
  EXPECT_THAT(texts(r.record->external_ips), ElementsAre("198.51.100.5"));
  EXPECT_THAT(texts(r.record->loadbalancer_ips), ElementsAre("203.0.113.7"));
  EXPECT_THAT(r.problems,
              ElementsAre(HasSubstr("192.0.2.9 is outside --service-external-ip-range"),
                          HasSubstr("10.96.0.99 is inside --service-cluster-ip-range"),
                          HasSubstr("\"not-an-ip\" is not an IP address"),
                          HasSubstr("198.51.100.6 is outside --loadbalancer-ip-range")));
  // The rest of the Service is still programmed.
  EXPECT_THAT(texts(r.record->cluster_ips), ElementsAre("10.96.0.50"));
}

TEST(ServiceRecord, StrictValidationWithoutRangesDeniesAll) {
  auto s = web();
  s.external_ips = {"198.51.100.5"};
  s.load_balancer_ingress = {ingress("203.0.113.7")};
  const auto r = read(s, {.strict = true});
  EXPECT_THAT(r.record->external_ips, IsEmpty());
  EXPECT_THAT(r.record->loadbalancer_ips, IsEmpty());
  EXPECT_THAT(r.problems, ElementsAre(HasSubstr("--service-external-ip-range is empty"),
                                      HasSubstr("--loadbalancer-ip-range is empty")));
}

TEST(ServiceRecord, WithoutStrictValidationEveryParsableIpPasses) {
  auto s = web();
  s.external_ips = {"10.96.0.99", "198.51.100.5", "198.51.100.5"};
  const auto r = read(s, {.strict = false, .cluster_ip = {*Cidr::parse("10.96.0.0/12")}});
  EXPECT_THAT(texts(r.record->external_ips), ElementsAre("10.96.0.99", "198.51.100.5"));
}

TEST(ServiceRecord, HealthCheckNodePort) {
  auto s = web();
  s.health_check_node_port = 32100;
  EXPECT_EQ(read(s).record->health_check_node_port, 32100);
  s.health_check_node_port = 70000;
  EXPECT_EQ(read(s).record->health_check_node_port, 0);
}

}  // namespace
}  // namespace kr::proxy
