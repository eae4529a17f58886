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

TEST(Names, SetNamesFollowTheirDefinition) {
  const std::string a = set_name("KUBE-SRC-", Family::kIPv4, "pods:in[x]pods[app=a,|]");
  EXPECT_EQ(a, set_name("KUBE-SRC-", Family::kIPv4, "pods:in[x]pods[app=a,|]"));
  EXPECT_TRUE(a.starts_with("KUBE-SRC-"));
  EXPECT_EQ(a.size(), 25u);
  EXPECT_NE(a, set_name("KUBE-SRC-", Family::kIPv4, "pods:in[y]pods[app=a,|]"));
  const std::string v6 = set_name("KUBE-DST-", Family::kIPv6, "pods:in[x]pods[app=a,|]");
  EXPECT_TRUE(v6.starts_with("inet6:KUBE-DST-"));
  EXPECT_EQ(v6.size(), 31u) << "ipset's limit";
  EXPECT_NE(v6.substr(15), a.substr(9)) << "the family is part of the hash";
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
