#include "controllers/netpol/names.h"

#include <gtest/gtest.h>

namespace kr::netpol {
namespace {

// Vectors from upstream (netpol.md §5, tests-upstream.md §3.1).
TEST(Names, HashMatchesUpstreamVectors) {
  EXPECT_EQ(hash16("defaultwhoamiIPv4"), "IZ5JGF4W6BKI7CEV");
  EXPECT_EQ(hash16("defaultwhoamiIPv6"), "GZIEGRFLGG6BN3N7");
  EXPECT_EQ(hash16("nsAsimple-egress1IPv4"), "C23KD7UE4TAT3Y5M");
}

TEST(Names, PeerSetNamesMatchUpstream) {
  EXPECT_EQ(peer_pods_set_name("default", "debug", Direction::kEgress, 0, Family::kIPv4),
            "KUBE-DST-P226T6HGLTLDGDLC");
  EXPECT_EQ(peer_ipblock_set_name("default", "whoami", Direction::kIngress, 0, Family::kIPv4),
            "KUBE-SRC-KLLOHJLFVAV654Z2");
  EXPECT_EQ(peer_pods_set_name("default", "debug", Direction::kEgress, 0, Family::kIPv6),
            "inet6:KUBE-DST-KSECZGZUJPU4SKA3");
}

TEST(Names, SetNamesFitIpsetsLimit) {
  const std::string longest = named_port_set_name(std::string(63, 'n'), std::string(253, 'p'),
                                                  Direction::kEgress, 99, 99, Family::kIPv6, 65535);
  EXPECT_LE(longest.size(), 31u);
  EXPECT_TRUE(longest.starts_with("inet6:KUBE-DST-"));
}

TEST(Names, ChainNamesAreStableAndDistinct) {
  EXPECT_EQ(pod_chain_name("x", "a"), pod_chain_name("x", "a"));
  EXPECT_NE(pod_chain_name("x", "a"), pod_chain_name("x", "b"));
  EXPECT_TRUE(pod_chain_name("x", "a").starts_with("KUBE-POD-FW-"));
  EXPECT_EQ(pod_chain_name("x", "a").size(), 28u) << "iptables chain names stop at 28 characters";
  const std::string in = policy_chain_name("x", "p", Direction::kIngress, Family::kIPv4);
  EXPECT_NE(in, policy_chain_name("x", "p", Direction::kEgress, Family::kIPv4));
  EXPECT_NE(in, policy_chain_name("x", "p", Direction::kIngress, Family::kIPv6));
  EXPECT_EQ(in.size(), 28u);
}

TEST(Names, CommentsAreCleanedAndClamped) {
  EXPECT_EQ(clamp_comment("my-pod\n-A INJECT -j DROP\n"), "my-pod-A INJECT -j DROP");
  EXPECT_EQ(clamp_comment("a\tb\rc"), "abc");
  EXPECT_EQ(clamp_comment("say \"hi\" \\ 'x'"), "say hi  x");
  EXPECT_EQ(clamp_comment(std::string(170, 'x')), std::string(120, 'x'));
  EXPECT_EQ(clamp_comment(""), "");
}

}  // namespace
}  // namespace kr::netpol
