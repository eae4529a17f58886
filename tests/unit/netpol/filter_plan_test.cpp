// The iptables-restore documents the planner writes: minimal, only our chains, pins by text.
#include "kernel/netfilter/filter_plan.h"

#include <gtest/gtest.h>

namespace kr::netfilter {
namespace {

bool ours(std::string_view chain) { return chain.starts_with("KUBE-"); }

FilterTable table(std::string_view save) { return parse_filter_save(save); }

constexpr std::string_view kForeign =
    "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:DOCKER - [0:0]\n"
    "-A INPUT -j DOCKER\n-A DOCKER -s 1.2.3.4/32 -j ACCEPT\nCOMMIT\n";

TEST(FilterTable, ParsesOnlyTheFilterTable) {
  const FilterTable t = table(
      "# Generated\n*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j X\nCOMMIT\n*filter\n"
      ":INPUT ACCEPT [5:10]\n:KUBE-A - [0:0]\n-A INPUT -m comment --comment \"a b\" -j KUBE-A\n"
      "-A KUBE-A -j RETURN\nCOMMIT\n");
  EXPECT_EQ(t.chain_names, (std::vector<std::string>{"INPUT", "KUBE-A"}));
  EXPECT_EQ(t.chain("INPUT"), (std::vector<std::string>{"-m comment --comment \"a b\" -j KUBE-A"}));
  EXPECT_FALSE(t.has_chain("PREROUTING"));
  EXPECT_EQ(rule_target(t.chain("INPUT")[0]), "KUBE-A");
  EXPECT_EQ(rule_target("-j MARK --set-xmark 0x0/0x10000"), "MARK");
  EXPECT_EQ(rule_target("-s 1.2.3.4/32"), "");
}

TEST(FilterTable, QuotesLikeIptablesSave) {
  EXPECT_EQ(save_quote("plain-word_1"), "plain-word_1");
  EXPECT_EQ(save_quote("ns/pod in"), "\"ns/pod in\"");
  EXPECT_EQ(save_quote("ns/pod"), "\"ns/pod\"");
  EXPECT_EQ(save_quote("a\"b"), "\"a\\\"b\"");
}

TEST(FilterPlan, CreatesMissingChainsAndPins) {
  DesiredFilter want;
  want.chains["KUBE-A"] = {"-j RETURN"};
  want.pinned = {{"INPUT", "-j KUBE-A"}};
  const FilterPlan plan = plan_filter(want, table(kForeign), ours);
  EXPECT_EQ(plan.document,
            "*filter\n:KUBE-A - [0:0]\n-A KUBE-A -j RETURN\n-I INPUT 1 -j KUBE-A\nCOMMIT\n");
  EXPECT_EQ(plan.chains_created, 1u);
}

TEST(FilterPlan, NothingToDoWhenTheKernelMatches) {
  DesiredFilter want;
  want.chains["KUBE-A"] = {"-j RETURN"};
  want.pinned = {{"INPUT", "-j KUBE-A"}};
  const FilterTable have = table(
      "*filter\n:INPUT ACCEPT [0:0]\n:KUBE-A - [0:0]\n-A INPUT -j KUBE-A\n-A INPUT -j DOCKER\n"
      "-A KUBE-A -j RETURN\nCOMMIT\n");
  EXPECT_TRUE(plan_filter(want, have, ours).empty());
  EXPECT_TRUE(plan_filter(want, expected_table(want), ours).empty());
}

TEST(FilterPlan, RepinsByTextNotPosition) {
  DesiredFilter want;
  want.chains["KUBE-A"] = {};
  want.pinned = {{"INPUT", "-j KUBE-A"}};
  const FilterTable have = table(
      "*filter\n:INPUT ACCEPT [0:0]\n:KUBE-A - [0:0]\n-A INPUT -j DOCKER\n-A INPUT -j KUBE-A\n"
      "-A INPUT -j KUBE-A\nCOMMIT\n");
  EXPECT_EQ(plan_filter(want, have, ours).document,
            "*filter\n-D INPUT -j KUBE-A\n-D INPUT -j KUBE-A\n-I INPUT 1 -j KUBE-A\nCOMMIT\n");
}

TEST(FilterPlan, InsertsInTheMiddleInsteadOfRewriting) {
  DesiredFilter want;
  want.chains["KUBE-F"] = {"-d 10.0.0.1/32 -j A", "-d 10.0.0.2/32 -j B", "-d 10.0.0.3/32 -j C",
                           "-j TAIL", "-j ACCEPT"};
  const FilterTable have = table(
      "*filter\n:KUBE-F - [0:0]\n-A KUBE-F -d 10.0.0.1/32 -j A\n-A KUBE-F -d 10.0.0.3/32 -j C\n"
      "-A KUBE-F -j TAIL\n-A KUBE-F -j ACCEPT\nCOMMIT\n");
  const FilterPlan plan = plan_filter(want, have, ours);
  EXPECT_EQ(plan.document, "*filter\n-I KUBE-F 2 -d 10.0.0.2/32 -j B\nCOMMIT\n");
  EXPECT_EQ(plan.chains_edited, 1u);
  EXPECT_EQ(plan.rule_lines, 1u);
}

TEST(FilterPlan, DeletesFromTheMiddle) {
  DesiredFilter want;
  want.chains["KUBE-F"] = {"-j A", "-j C", "-j TAIL"};
  const FilterTable have = table(
      "*filter\n:KUBE-F - [0:0]\n-A KUBE-F -j A\n-A KUBE-F -j B\n-A KUBE-F -j B2\n"
      "-A KUBE-F -j C\n-A KUBE-F -j TAIL\nCOMMIT\n");
  EXPECT_EQ(plan_filter(want, have, ours).document, "*filter\n-D KUBE-F 2\n-D KUBE-F 2\nCOMMIT\n");
}

TEST(FilterPlan, RewritesWhenMostRulesChange) {
  DesiredFilter want;
  want.chains["KUBE-P"] = {"-j X", "-j Y"};
  const FilterTable have = table("*filter\n:KUBE-P - [0:0]\n-A KUBE-P -j Z\nCOMMIT\n");
  const FilterPlan plan = plan_filter(want, have, ours);
  EXPECT_EQ(plan.document, "*filter\n:KUBE-P - [0:0]\n-A KUBE-P -j X\n-A KUBE-P -j Y\nCOMMIT\n");
  EXPECT_EQ(plan.chains_rewritten, 1u);
}

TEST(FilterPlan, DeletesStaleOwnedChainsAfterDroppingReferences) {
  DesiredFilter want;
  want.chains["KUBE-F"] = {"-j A", "-j TAIL"};
  const FilterTable have = table(
      "*filter\n:INPUT ACCEPT [0:0]\n:KUBE-F - [0:0]\n:KUBE-OLD - [0:0]\n:DOCKER - [0:0]\n"
      "-A KUBE-F -j A\n-A KUBE-F -j KUBE-OLD\n-A KUBE-F -j TAIL\n-A KUBE-OLD -j RETURN\n"
      "-A DOCKER -j RETURN\nCOMMIT\n");
  EXPECT_EQ(plan_filter(want, have, ours).document,
            "*filter\n-F KUBE-OLD\n-D KUBE-F 2\n-X KUBE-OLD\nCOMMIT\n");
}

TEST(FilterPlan, KeepsAStaleChainThatForeignRulesJumpTo) {
  DesiredFilter want;
  const FilterTable have = table(
      "*filter\n:INPUT ACCEPT [0:0]\n:KUBE-OLD - [0:0]\n-A INPUT -j KUBE-OLD\n"
      "-A KUBE-OLD -j RETURN\nCOMMIT\n");
  const FilterPlan plan = plan_filter(want, have, ours);
  EXPECT_EQ(plan.document, "*filter\n-F KUBE-OLD\nCOMMIT\n");
  EXPECT_EQ(plan.chains_deleted, 0u);
  const FilterTable flushed =
      table("*filter\n:INPUT ACCEPT [0:0]\n:KUBE-OLD - [0:0]\n-A INPUT -j KUBE-OLD\nCOMMIT\n");
  EXPECT_TRUE(plan_filter(want, flushed, ours).empty()) << "no rewrite on every sync";
}

TEST(FilterPlan, NeverTouchesForeignChains) {
  DesiredFilter want;
  want.chains["KUBE-A"] = {};
  const FilterPlan plan = plan_filter(want, table(kForeign), ours);
  EXPECT_EQ(plan.document.find("DOCKER"), std::string::npos);
  EXPECT_EQ(plan.document.find("FORWARD"), std::string::npos);
}

}  // namespace
}  // namespace kr::netfilter
