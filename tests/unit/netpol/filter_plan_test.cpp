// The iptables-restore documents the planner writes: minimal, only our chains, pins by text.
#include "kernel/netfilter/filter_plan.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

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

// Applies a planned document to a table the way iptables-restore --noflush does, for the
// lines the planner writes.
void run_document(FilterTable& t, std::string_view document) {
  while (!document.empty()) {
    const size_t eol = document.find('\n');
    const std::string line(document.substr(0, eol));
    document.remove_prefix(eol + 1);
    const size_t space = line.find(' ', 3);
    const std::string chain = line.substr(3, space == std::string::npos ? space : space - 3);
    const std::string rest = space == std::string::npos ? "" : line.substr(space + 1);
    auto& rules = t.rules[chain].edit();
    if (line.starts_with(":")) {
      t.add_chain(line.substr(1, line.find(' ') - 1));
      t.rules[line.substr(1, line.find(' ') - 1)].edit().clear();
    } else if (line.starts_with("-A ")) {
      rules.push_back(rest);
    } else if (line.starts_with("-I ")) {
      const size_t at = std::stoul(rest);
      ASSERT_LE(at, rules.size() + 1) << line;
      rules.insert(rules.begin() + static_cast<long>(at) - 1, rest.substr(rest.find(' ') + 1));
    } else if (line.starts_with("-D ") && !rest.empty() && std::isdigit(rest[0])) {
      const size_t at = std::stoul(rest);
      ASSERT_LE(at, rules.size()) << line;
      rules.erase(rules.begin() + static_cast<long>(at) - 1);
    } else if (line.starts_with("-F ")) {
      rules.clear();
    } else if (line.starts_with("-X ")) {
      ASSERT_TRUE(rules.empty()) << line;
      t.rules.erase(chain);
      std::erase(t.chain_names, chain);
    } else {
      ASSERT_TRUE(line == "*filter" || line == "COMMIT") << line;
    }
  }
}

// The rules a packet can reach: everything before the first unconditional RETURN.
std::vector<std::string> reachable(const std::vector<std::string>& rules) {
  const auto end = std::find(rules.begin(), rules.end(), "-j RETURN");
  return {rules.begin(), end};
}

TEST(FilterPlanDeferred, TheFirstDocumentOnlyAddsAndAlreadyBehavesAsDesired) {
  const std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> cases = {
      {{"-j A", "-j B", "-j C"}, {"-j A", "-j X"}},          // tail replaced
      {{"-j A", "-j B", "-j C"}, {"-j X", "-j B", "-j C"}},  // head replaced
      {{"-j A", "-j B", "-j C"}, {"-j A", "-j C"}},          // middle removed
      {{"-j A", "-j B"}, {}},                                // emptied
      {{"-j A"}, {"-j A", "-j B"}},                          // appended: no cleanup needed
  };
  for (const auto& [have, want] : cases) {
    FilterTable kernel;
    kernel.add_chain("KUBE-P", have);
    DesiredFilter desired;
    desired.chains["KUBE-P"] = want;
    const FilterPlan plan = plan_filter(desired, kernel, ours, {.defer_removals = true});
    EXPECT_EQ(plan.document.find("-D "), std::string::npos) << plan.document;
    EXPECT_EQ(plan.document.find("-F "), std::string::npos) << plan.document;
    EXPECT_EQ(plan.document.find(":KUBE-P"), std::string::npos) << "a re-declaration flushes";
    run_document(kernel, plan.document);
    EXPECT_EQ(reachable(kernel.chain("KUBE-P")), want) << plan.document;
    run_document(kernel, plan.cleanup);
    EXPECT_EQ(kernel.chain("KUBE-P"), want) << plan.cleanup;
    EXPECT_TRUE(plan_filter(desired, kernel, ours, {.defer_removals = true}).empty());
  }
}

TEST(FilterPlanDeferred, StaleChainsAreDeletedByTheCleanupAfterTheirJumps) {
  DesiredFilter want;
  want.chains["KUBE-F"] = {"-j A", "-j TAIL"};
  const FilterTable have = table(
      "*filter\n:INPUT ACCEPT [0:0]\n:KUBE-F - [0:0]\n:KUBE-OLD - [0:0]\n:DOCKER - [0:0]\n"
      "-A KUBE-F -j A\n-A KUBE-F -j KUBE-OLD\n-A KUBE-F -j TAIL\n-A KUBE-OLD -j RETURN\n"
      "-A DOCKER -j RETURN\nCOMMIT\n");
  const FilterPlan plan = plan_filter(want, have, ours, {.defer_removals = true});
  EXPECT_EQ(plan.document, "*filter\n-I KUBE-F 2 -j TAIL\n-I KUBE-F 3 -j RETURN\nCOMMIT\n");
  EXPECT_EQ(plan.cleanup,
            "*filter\n-F KUBE-OLD\n-D KUBE-F 3\n-D KUBE-F 3\n-D KUBE-F 3\n-X KUBE-OLD\nCOMMIT\n");
  EXPECT_EQ(plan.chains_deleted, 1u);
}

// Whether every insert of `document` is at position 1: iptables-nft then needs no rule cache.
bool names_no_position(const std::string& document) {
  for (size_t at = document.find("-I "); at != std::string::npos;
       at = document.find("-I ", at + 1)) {
    const size_t number = document.find(' ', at + 3) + 1;
    if (document.compare(number, 2, "1 ") != 0) return false;
  }
  return true;
}

TEST(FilterPlanDeferred, AJumpBelowTheHeadOfAShortChainBesideLongOnesIsWrittenFromTheHead) {
  // A new pod on a node with 100: its jump goes to the head of two long chains and below the
  // fixed head rules of a shorter one. A position there would make iptables-nft fetch all three
  // (600 rules), which costs more than rewriting the shorter chain (103 rules).
  std::vector<std::string> input = {"-d 10.96.0.0/12 -j RETURN", "-p tcp -j RETURN"};
  std::vector<std::string> forward, output;
  for (int i = 0; i < 100; ++i) {
    const std::string jump = fmt::format("-s 10.0.0.{} -j KUBE-POD-FW-{}", i, i);
    input.push_back(jump);
    for (const char* direction : {"-s", "-d"}) {
      const std::string way = fmt::format("{} 10.0.0.{} -j KUBE-POD-FW-{}", direction, i, i);
      forward.push_back(way);
      forward.push_back(way + " -m physdev --physdev-is-bridged");
    }
    output.push_back(jump);
  }
  FilterTable kernel;
  kernel.add_chain("KUBE-ROUTER-INPUT", input);
  kernel.add_chain("KUBE-ROUTER-FORWARD", forward);
  kernel.add_chain("KUBE-ROUTER-OUTPUT", output);
  DesiredFilter desired;
  const std::string jump = "-s 10.0.1.1 -j KUBE-POD-FW-NEW";
  for (const char* name : {"KUBE-ROUTER-FORWARD", "KUBE-ROUTER-OUTPUT"}) {
    desired.chains[name] = kernel.chain(name);
    auto& rules = desired.chains[name].edit();
    rules.insert(rules.begin(), jump);
  }
  desired.chains["KUBE-ROUTER-INPUT"] = input;
  auto& want_input = desired.chains["KUBE-ROUTER-INPUT"].edit();
  want_input.insert(want_input.begin() + 2, jump);

  const FilterPlan plan = plan_filter(desired, kernel, ours, {.defer_removals = true});
  EXPECT_TRUE(names_no_position(plan.document)) << plan.document;
  run_document(kernel, plan.document);
  for (const auto& [name, want] : desired.chains) {
    EXPECT_EQ(reachable(kernel.chain(name)), want) << name;
  }
  run_document(kernel, plan.cleanup);
  for (const auto& [name, want] : desired.chains) {
    EXPECT_EQ(kernel.chain(name), want) << name;
  }

  // Alone, the short chain is cheaper to fetch than to rewrite: the position stays.
  DesiredFilter input_only;
  input_only.chains["KUBE-ROUTER-INPUT"] = desired.chains["KUBE-ROUTER-INPUT"];
  FilterTable fresh;
  fresh.add_chain("KUBE-ROUTER-INPUT", input);
  EXPECT_EQ(plan_filter(input_only, fresh, ours, {.defer_removals = true}).document,
            "*filter\n-I KUBE-ROUTER-INPUT 3 " + jump + "\nCOMMIT\n");
}

TEST(FilterPlanDeferred, FallsBackToOneDocumentWhenARemovalCannotWait) {
  DesiredFilter long_chain;
  long_chain.chains["KUBE-F"] = {"-j X", "-j Y", "-j Z"};
  const FilterTable have = table("*filter\n:KUBE-F - [0:0]\n-A KUBE-F -j A\nCOMMIT\n");
  FilterPlan plan =
      plan_filter(long_chain, have, ours, {.defer_removals = true, .max_shadowed_rules = 3});
  EXPECT_EQ(plan.document, plan_filter(long_chain, have, ours).document) << "4 rules > 3";
  EXPECT_TRUE(plan.cleanup.empty());

  DesiredFilter pinned;
  pinned.chains["KUBE-A"] = {};
  pinned.pinned = {{"INPUT", "-j KUBE-A"}};
  const FilterTable misplaced = table(
      "*filter\n:INPUT ACCEPT [0:0]\n:KUBE-A - [0:0]\n-A INPUT -j DOCKER\n-A INPUT -j KUBE-A\n"
      "COMMIT\n");
  plan = plan_filter(pinned, misplaced, ours, {.defer_removals = true});
  EXPECT_EQ(plan.document, "*filter\n-D INPUT -j KUBE-A\n-I INPUT 1 -j KUBE-A\nCOMMIT\n");
  EXPECT_TRUE(plan.cleanup.empty());
}

}  // namespace
}  // namespace kr::netfilter
