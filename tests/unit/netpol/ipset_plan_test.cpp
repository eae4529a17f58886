#include "kernel/netfilter/ipset_plan.h"

#include <gtest/gtest.h>

namespace kr::netfilter {
namespace {

bool ours(std::string_view set) {
  return set.starts_with("KUBE-") || set.starts_with("inet6:KUBE-");
}

constexpr std::string_view kSaved =
    "create KUBE-DST-A hash:ip family inet hashsize 1024 maxelem 65536 timeout 0 bucketsize 12 "
    "initval 0x1\n"
    "add KUBE-DST-A 10.0.0.2 timeout 0\n"
    "add KUBE-DST-A 10.0.0.1 timeout 0\n"
    "create KUBE-SRC-N hash:net family inet hashsize 1024 maxelem 65536 timeout 0\n"
    "add KUBE-SRC-N 10.1.0.0/16 timeout 0 nomatch\n"
    "create inet6:KUBE-DST-6 hash:ip family inet6 hashsize 1024 maxelem 65536\n"
    "add inet6:KUBE-DST-6 fd00::1\n"
    "create foreign hash:ip family inet hashsize 1024 maxelem 65536\n"
    "add foreign 1.1.1.1\n";

TEST(IpsetSave, ParsesTypesFamiliesAndMembers) {
  const IpsetTable t = parse_ipset_save(kSaved);
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t.at("KUBE-DST-A").type, "hash:ip");
  EXPECT_EQ(t.at("KUBE-DST-A").family, "inet");
  EXPECT_EQ(t.at("KUBE-DST-A").members, (std::vector<std::string>{"10.0.0.1", "10.0.0.2"}));
  EXPECT_EQ(t.at("KUBE-SRC-N").members, (std::vector<std::string>{"10.1.0.0/16 nomatch"}));
  EXPECT_EQ(t.at("inet6:KUBE-DST-6").family, "inet6");
}

TEST(IpsetPlan, UnchangedSetsCostNothing) {
  DesiredIpsets want;
  want["KUBE-DST-A"] = {"hash:ip", Family::kIPv4, {"10.0.0.1", "10.0.0.2"}};
  const IpsetTable have = parse_ipset_save(kSaved);
  IpsetTable without_stale = have;
  without_stale.erase("KUBE-SRC-N");
  const IpsetPlan plan = plan_ipsets(want, without_stale, Family::kIPv4, ours, "KUBE-DST-TMP");
  EXPECT_TRUE(plan.update_script.empty());
  EXPECT_TRUE(plan.destroy_script.empty());
  EXPECT_TRUE(
      plan_ipsets(want, expected_ipsets(want), Family::kIPv4, ours, "T").update_script.empty());
}

TEST(IpsetPlan, CreatesSwapsAndDestroys) {
  DesiredIpsets want;
  want["KUBE-DST-A"] = {"hash:ip", Family::kIPv4, {"10.0.0.1", "10.0.0.3"}};
  want["KUBE-DST-NEW"] = {"hash:net", Family::kIPv4, {"10.2.0.0/16"}};
  want["inet6:KUBE-DST-6"] = {"hash:ip", Family::kIPv6, {"fd00::2"}};
  const IpsetPlan plan =
      plan_ipsets(want, parse_ipset_save(kSaved), Family::kIPv4, ours, "KUBE-DST-TMP");
  EXPECT_EQ(plan.update_script,
            "destroy KUBE-DST-TMP\n"
            "create KUBE-DST-TMP hash:ip family inet hashsize 1024 maxelem 65536 timeout 0\n"
            "add KUBE-DST-TMP 10.0.0.1\nadd KUBE-DST-TMP 10.0.0.3\n"
            "swap KUBE-DST-TMP KUBE-DST-A\ndestroy KUBE-DST-TMP\n"
            "create KUBE-DST-NEW hash:net family inet hashsize 1024 maxelem 65536 timeout 0\n"
            "add KUBE-DST-NEW 10.2.0.0/16\n");
  EXPECT_EQ(plan.destroy_script, "destroy KUBE-SRC-N\n") << "foreign and IPv6 sets untouched";
  EXPECT_EQ(plan.sets_created, 1u);
  EXPECT_EQ(plan.sets_swapped, 1u);
}

TEST(IpsetPlan, SwapKeepsTheExistingSetsType) {
  DesiredIpsets want;
  want["KUBE-SRC-N"] = {"hash:ip", Family::kIPv4, {"10.1.2.3"}};
  const IpsetPlan plan = plan_ipsets(want, parse_ipset_save(kSaved), Family::kIPv4, ours, "T");
  EXPECT_NE(plan.update_script.find("create T hash:net"), std::string::npos) << plan.update_script;
}

TEST(IpsetPlan, EditsHashIpSetsInPlaceWhenThatIsShorter) {
  const IpsetTable have = parse_ipset_save(
      "create KUBE-DST-A hash:ip family inet hashsize 1024 maxelem 65536 timeout 0\n"
      "add KUBE-DST-A 10.0.0.1\nadd KUBE-DST-A 10.0.0.2\nadd KUBE-DST-A 10.0.0.3\n"
      "create KUBE-SRC-N hash:net family inet hashsize 1024 maxelem 65536 timeout 0\n"
      "add KUBE-SRC-N 10.1.0.0/16\nadd KUBE-SRC-N 10.2.0.0/16\nadd KUBE-SRC-N 10.3.0.0/16\n");
  const IpsetPlanOptions edit{.edit_ip_sets = true};
  DesiredIpsets want;
  want["KUBE-DST-A"] = {"hash:ip", Family::kIPv4, {"10.0.0.1", "10.0.0.2", "10.0.0.4"}};
  IpsetPlan plan = plan_ipsets(want, have, Family::kIPv4, ours, "T", edit);
  EXPECT_EQ(plan.update_script, "add KUBE-DST-A 10.0.0.4\ndel KUBE-DST-A 10.0.0.3\n");
  EXPECT_EQ(plan.sets_edited, 1u);
  EXPECT_EQ(plan.sets_swapped, 0u);

  want["KUBE-DST-A"].members = {"10.0.0.7", "10.0.0.8"};
  plan = plan_ipsets(want, have, Family::kIPv4, ours, "T", edit);
  EXPECT_NE(plan.update_script.find("swap T KUBE-DST-A"), std::string::npos)
      << "5 edits for 2 members: refilled";

  want.erase("KUBE-DST-A");
  want["KUBE-SRC-N"] = {"hash:net", Family::kIPv4, {"10.1.0.0/16", "10.2.0.0/16", "10.4.0.0/16"}};
  plan = plan_ipsets(want, have, Family::kIPv4, ours, "T", edit);
  EXPECT_NE(plan.update_script.find("swap T KUBE-SRC-N"), std::string::npos)
      << "hash:net sets are always swapped";
}

}  // namespace
}  // namespace kr::netfilter
