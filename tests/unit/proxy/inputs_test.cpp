// The proxy's inputs besides Services and slices: CIDRs, the flags (proxy_settings) and the
// node facts (proxy.md §1.2).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "controllers/proxy/cidr.h"
#include "controllers/proxy/node_facts.h"
#include "controllers/proxy/proxy_settings.h"
#include "fixtures.h"
#include "options/kube_router_config.h"

namespace kr::proxy {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::texts;

IpAddress ip(std::string_view text) { return IpAddress::must_parse(text); }

TEST(Cidr, ParsesLikeGoAndClearsHostBits) {
  EXPECT_EQ(Cidr::parse("10.1.2.3/8")->to_string(), "10.0.0.0/8");
  EXPECT_EQ(Cidr::parse("fd00:1::5/64")->to_string(), "fd00:1::/64");
  EXPECT_EQ(Cidr::parse("10.0.0.7/29")->to_string(), "10.0.0.0/29");
  EXPECT_FALSE(Cidr::parse("10.0.0.0"));
  EXPECT_FALSE(Cidr::parse("10.0.0.0/33"));
  EXPECT_FALSE(Cidr::parse("10.0.0.0/"));
  EXPECT_FALSE(Cidr::parse("10.0.0.0/8x"));
  EXPECT_FALSE(Cidr::parse("x/8"));
}

TEST(Cidr, Contains) {
  const auto c = *Cidr::parse("10.96.0.0/12");
  EXPECT_TRUE(c.contains(ip("10.96.0.1")));
  EXPECT_TRUE(c.contains(ip("10.111.255.255")));
  EXPECT_FALSE(c.contains(ip("10.112.0.0")));
  EXPECT_FALSE(c.contains(ip("fd00::1")));
  EXPECT_TRUE(Cidr::parse("0.0.0.0/0")->contains(ip("8.8.8.8")));
  EXPECT_TRUE(Cidr::parse("fd00::/8")->contains(ip("fd12::1")));
  EXPECT_FALSE(Cidr::parse("fd00::/8")->contains(ip("fe80::1")));
}

TEST(ProxySettings, FromConfig) {
  options::Config config;
  config.hairpin_mode = true;
  config.masquerade_all = true;
  config.nodeport_bindon_all_ip = true;
  config.ipvs_permit_all = false;
  config.ipvs_graceful_termination = true;
  config.ipvs_graceful_period = std::chrono::seconds(12);
  config.excluded_cidrs = {"10.200.0.0/16"};
  config.service_tcp_timeout = std::chrono::milliseconds(90500);
  config.service_tcpfin_timeout = std::chrono::seconds(30);
  config.service_udp_timeout = std::chrono::seconds(-5);
  config.service_cluster_ip_range = {"10.96.0.0/12"};
  config.service_external_ip_range = {"198.51.100.0/24"};
  config.loadbalancer_ip_range = {"203.0.113.0/24"};
  const auto r = settings_from_config(config);
  ASSERT_FALSE(r.error) << *r.error;
  const ProxySettings& s = r.settings;
  EXPECT_TRUE(s.hairpin_mode && s.masquerade_all && s.nodeport_bindon_all_ip &&
              s.graceful_termination);
  EXPECT_FALSE(s.ipvs_permit_all);
  EXPECT_EQ(s.graceful_period, std::chrono::seconds(12));
  EXPECT_EQ(s.excluded_cidrs, std::vector<Cidr>{*Cidr::parse("10.200.0.0/16")});
  EXPECT_EQ(s.timeouts, (ipvs::Timeouts{.tcp = 90, .tcp_fin = 30, .udp = 0}));
  EXPECT_TRUE(s.validator.ranges().strict);
  EXPECT_EQ(s.validator.ranges().loadbalancer_ip.size(), 1u);
}

TEST(ProxySettings, BadCidrFlagIsNamed) {
  options::Config config;
  config.excluded_cidrs = {"10.200.0.0"};
  EXPECT_THAT(settings_from_config(config).error,
              ::testing::Optional(HasSubstr("--excluded-cidrs: invalid CIDR \"10.200.0.0\"")));
  config.excluded_cidrs = {};
  config.loadbalancer_ip_range = {"nope"};
  EXPECT_THAT(settings_from_config(config).error,
              ::testing::Optional(HasSubstr("--loadbalancer-ip-range")));
}

k8s::Node node(std::vector<std::pair<std::string, std::string>> addresses) {
  k8s::Node n;
  n.meta.name = "node-a";
  for (auto& [type, address] : addresses) {
    n.addresses.push_back({k8s::Interned(type), address});
  }
  n.pod_cidr = "10.244.1.0/24";
  n.pod_cidrs = {"10.244.1.0/24"};
  return n;
}

TEST(NodeFacts, PrimaryAndBestAddresses) {
  const auto r = node_facts_from(node({{"Hostname", "node-a"},
                                       {"ExternalIP", "203.0.113.10"},
                                       {"InternalIP", "fd00:1::10"},
                                       {"InternalIP", "192.168.1.10"},
                                       {"ExternalIP", "2001:db8::10"}}),
                                 {});
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.facts.primary_ip, ip("fd00:1::10"));  // the first InternalIP
  EXPECT_EQ(r.facts.best_v6, ip("fd00:1::10"));
  EXPECT_EQ(r.facts.best_v4, ip("192.168.1.10"));  // first InternalIP of the family
  EXPECT_THAT(texts(r.facts.node_ips),
              ElementsAre("fd00:1::10", "192.168.1.10", "203.0.113.10", "2001:db8::10"));
  EXPECT_THAT(r.facts.pod_cidrs, ElementsAre(*Cidr::parse("10.244.1.0/24")));
}

TEST(NodeFacts, ExternalIpWhenNoInternalIp) {
  const auto r = node_facts_from(node({{"ExternalIP", "203.0.113.10"}}), {});
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.facts.primary_ip, ip("203.0.113.10"));
  EXPECT_TRUE(r.facts.capable(Family::kIPv4));
  EXPECT_FALSE(r.facts.capable(Family::kIPv6));
}

TEST(NodeFacts, Errors) {
  EXPECT_THAT(node_facts_from(node({{"Hostname", "x"}}), {}).error,
              ::testing::Optional(HasSubstr("no InternalIP or ExternalIP")));
  EXPECT_THAT(node_facts_from(node({{"InternalIP", "192.168.1.10"}}), {.enable_ipv6 = true}).error,
              ::testing::Optional(HasSubstr("IPv6 was enabled, but no IPv6 address")));
  auto no_cidr = node({{"InternalIP", "192.168.1.10"}});
  no_cidr.pod_cidr.clear();
  EXPECT_THAT(node_facts_from(no_cidr, {}).error,
              ::testing::Optional(HasSubstr("nor spec.podCIDR")));
  // Without --run-router the pod CIDRs are not needed (and not used).
  const auto r = node_facts_from(no_cidr, {.run_router = false});
  EXPECT_FALSE(r.error);
  EXPECT_THAT(r.facts.pod_cidrs, IsEmpty());
}

TEST(NodeFacts, PodCidrAnnotationsWin) {
  auto n = node({{"InternalIP", "192.168.1.10"}, {"InternalIP", "fd00:1::10"}});
  n.meta.annotations.set("kube-router.io/pod-cidr", "10.250.0.0/24");
  n.meta.annotations.set("kube-router.io/pod-cidrs", "10.250.0.0/24,fd00:250::/64");
  const auto r = node_facts_from(n, {});
  ASSERT_FALSE(r.error);
  EXPECT_THAT(r.facts.pod_cidrs,
              ElementsAre(*Cidr::parse("10.250.0.0/24"), *Cidr::parse("fd00:250::/64")));
  n.meta.annotations.set("kube-router.io/pod-cidrs", "10.250.0.0/24, fd00:250::/64");
  EXPECT_THAT(node_facts_from(n, {}).error, ::testing::Optional(HasSubstr("\" fd00:250::/64\"")));
}

TEST(NodeFacts, HostLocalAddressesSkipKubeDummyAndDocker) {
  const std::vector<InterfaceAddress> all{{"lo", ip("127.0.0.1")},
                                          {"eth0", ip("192.168.1.10")},
                                          {"kube-dummy-if", ip("10.96.0.10")},
                                          {"kube-bridge", ip("10.244.1.1")},
                                          {"docker0", ip("172.17.0.1")},
                                          {"dummy0", ip("10.1.1.1")},
                                          {"eth0", ip("fe80::1")},
                                          {"lo", ip("127.0.0.1")}};
  EXPECT_THAT(texts(host_local_addresses(all)),
              ElementsAre("127.0.0.1", "192.168.1.10", "fe80::1"));
}

}  // namespace
}  // namespace kr::proxy
