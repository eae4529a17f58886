// What the firewall learns from its Node object, and which nodes cannot serve it.
#include "app/firewall_node_facts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "options/kube_router_config.h"

namespace kr::app {
namespace {

using ::testing::ElementsAre;

k8s::Node node_with(std::vector<std::pair<std::string, std::string>> addresses) {
  k8s::Node node;
  node.meta.name = "n1";
  for (auto& [type, address] : addresses) {
    node.addresses.push_back({k8s::Interned(type), address});
  }
  return node;
}

TEST(FirewallNodeFacts, InternalThenExternalAddressesAndSpecPodCidrs) {
  k8s::Node node = node_with({{"Hostname", "n1"},
                              {"ExternalIP", "203.0.113.5"},
                              {"InternalIP", "10.0.0.5"},
                              {"InternalIP", "fd00::5"}});
  node.pod_cidrs = {"10.244.1.0/24", "fd00:244:1::/64"};
  const FirewallNodeFacts r = firewall_node_facts(node, options::Config{});
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.facts.name, "n1");
  EXPECT_THAT(r.facts.addresses, ElementsAre("10.0.0.5", "fd00::5", "203.0.113.5"));
  EXPECT_THAT(r.facts.pod_cidrs, ElementsAre("10.244.1.0/24", "fd00:244:1::/64"));
}

TEST(FirewallNodeFacts, PodCidrsAnnotationWinsOverSpec) {
  k8s::Node node = node_with({{"InternalIP", "10.0.0.5"}});
  node.pod_cidrs = {"10.244.1.0/24"};
  node.meta.annotations.set("kube-router.io/pod-cidrs", "10.50.0.0/24,fd00:50::/64");
  const FirewallNodeFacts r = firewall_node_facts(node, options::Config{});
  EXPECT_THAT(r.facts.pod_cidrs, ElementsAre("10.50.0.0/24", "fd00:50::/64"));
}

TEST(FirewallNodeFacts, SinglePodCidrWhenTheListIsEmpty) {
  k8s::Node node = node_with({{"InternalIP", "10.0.0.5"}});
  node.pod_cidr = "10.244.3.0/24";
  EXPECT_THAT(firewall_node_facts(node, options::Config{}).facts.pod_cidrs,
              ElementsAre("10.244.3.0/24"));
}

TEST(FirewallNodeFacts, EnabledFamilyNeedsAnAddress) {
  options::Config config;
  config.enable_ipv6 = true;
  const FirewallNodeFacts v6 = firewall_node_facts(node_with({{"InternalIP", "10.0.0.5"}}), config);
  EXPECT_EQ(v6.error, "IPv6 was enabled, but no IPv6 address was found on the node");

  // A Hostname or an unparsable address is no address.
  const FirewallNodeFacts v4 = firewall_node_facts(
      node_with({{"Hostname", "10.0.0.9"}, {"InternalIP", "not-an-ip"}}), options::Config{});
  EXPECT_EQ(v4.error, "IPv4 was enabled, but no IPv4 address was found on the node");
}

TEST(FirewallNodeFacts, DefaultDenyNeedsPodCidrs) {
  options::Config config;
  config.netpol_default_deny = true;
  const k8s::Node node = node_with({{"InternalIP", "10.0.0.5"}});
  EXPECT_EQ(firewall_node_facts(node, config).error,
            "failed to get pod CIDRs from node spec (required for --netpol-default-deny)");
  EXPECT_FALSE(firewall_node_facts(node, options::Config{}).error);
}

}  // namespace
}  // namespace kr::app
