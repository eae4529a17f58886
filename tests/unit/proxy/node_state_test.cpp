// The node-wide desired state (proxy.md §5.1, §7.1): the IPVS firewall, the SNAT rules and
// kube-router-local-ips, per family and flag.
#include "controllers/proxy/node_state.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fixtures.h"

namespace kr::proxy {
namespace {

using testing::default_settings;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::node_a;
using testing::texts;

TEST(NodeState, WorkedExampleV4) {
  const NodeState st = build_node_state(node_a(), default_settings());
  const auto& v4 = st.family(Family::kIPv4);
  EXPECT_TRUE(v4.enabled);
  EXPECT_FALSE(st.family(Family::kIPv6).enabled);
  EXPECT_THAT(v4.masquerade,
              ElementsAre("! -s 10.244.1.0/24 ! -d 10.244.1.0/24 -m ipvs --vdir ORIGINAL "
                          "--vmethod MASQ -m comment --comment \"\" -j SNAT --to-source "
                          "192.168.1.10 --random-fully"));
  EXPECT_EQ(*v4.services_jump,
            "-m comment --comment \"handle traffic to IPVS service IPs in custom chain\" -m set "
            "--match-set kube-router-svip dst -j KUBE-ROUTER-SERVICES");
  EXPECT_THAT(
      v4.services_chain,
      ElementsAre(
          "-p icmp -m comment --comment \"allow icmp echo requests\" -m icmp --icmp-type 8 -j "
          "ACCEPT",
          "-p icmp -m comment --comment \"allow icmp destination unreachable messages\" -m icmp "
          "--icmp-type 3 -j ACCEPT",
          "-p icmp -m comment --comment \"allow icmp time exceeded messages\" -m icmp "
          "--icmp-type 11 -j ACCEPT",
          "-m comment --comment \"allow input traffic to ipvs services\" -m set --match-set "
          "kube-router-svip-prt dst,dst -j ACCEPT",
          "-m comment --comment \"reject all unexpected traffic to service IPs\" -m set ! "
          "--match-set kube-router-local-ips dst -j REJECT --reject-with icmp-port-unreachable"));
  EXPECT_THAT(texts(v4.local_ips), ElementsAre("127.0.0.1", "192.168.1.10"));
}

TEST(NodeState, DualStackHasV6FirewallWithNeighbourDiscovery) {
  const NodeState st = build_node_state(node_a(true), default_settings());
  const auto& v6 = st.family(Family::kIPv6);
  ASSERT_TRUE(v6.enabled);
  EXPECT_EQ(v6.services_chain.size(), 8u);
  EXPECT_EQ(v6.services_chain[3],
            "-p ipv6-icmp -m comment --comment \"allow icmp neighbor solicitation messages\" -m "
            "icmp6 --icmpv6-type 135 -j ACCEPT");
  EXPECT_EQ(v6.services_chain[7],
            "-m comment --comment \"reject all unexpected traffic to service IPs\" -m set ! "
            "--match-set inet6:kube-router-local-ips dst -j REJECT --reject-with "
            "icmp6-port-unreachable");
  EXPECT_THAT(v6.masquerade,
              ElementsAre("! -s fd00:244:1::/64 ! -d fd00:244:1::/64 -m ipvs --vdir "
                          "ORIGINAL --vmethod MASQ -m comment --comment \"\" -j SNAT --to-source "
                          "fd00:1::10 --random-fully"));
  EXPECT_THAT(texts(v6.local_ips), ElementsAre("::1", "fd00:1::10"));
}

TEST(NodeState, MasqueradeAllComesFirst) {
  auto settings = default_settings();
  settings.masquerade_all = true;
  const NodeState st = build_node_state(node_a(), settings, /*random_fully=*/false);
  const auto& v4 = st.family(Family::kIPv4);
  EXPECT_THAT(v4.masquerade,
              ElementsAre("-m ipvs --vdir ORIGINAL --vmethod MASQ -m comment --comment \"\" "
                          "-j SNAT --to-source 192.168.1.10",
                          "! -s 10.244.1.0/24 ! -d 10.244.1.0/24 -m ipvs --vdir ORIGINAL "
                          "--vmethod MASQ -m comment --comment \"\" -j SNAT --to-source "
                          "192.168.1.10"));
}

TEST(NodeState, WithoutRouterAndMasqueradeAllThereIsNoSnat) {
  auto node = node_a();
  node.pod_cidrs.clear();  // node_facts_from reads pod CIDRs only with --run-router
  EXPECT_THAT(build_node_state(node, default_settings()).family(Family::kIPv4).masquerade,
              IsEmpty());
}

TEST(NodeState, PermitAllOffLeavesTheChainEmptyAndNoJump) {
  auto settings = default_settings();
  settings.ipvs_permit_all = false;
  const NodeState st = build_node_state(node_a(), settings);
  const auto& v4 = st.family(Family::kIPv4);
  EXPECT_TRUE(v4.enabled);
  EXPECT_THAT(v4.services_chain, IsEmpty());
  EXPECT_FALSE(v4.services_jump);
  EXPECT_THAT(texts(v4.local_ips), ElementsAre("127.0.0.1", "192.168.1.10"));  // still kept
}

}  // namespace
}  // namespace kr::proxy
