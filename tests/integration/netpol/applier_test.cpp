// The applier against real iptables (both backends) and ipset in a namespace of the test's own:
// every rule shape reads back identically (so an unchanged state never causes a write),
// changes write only their difference, and other software's rules and sets are never touched.
#include "controllers/netpol/applier.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "builder_test_support.h"
#include "controllers/netpol/cleanup.h"
#include "controllers/netpol/names.h"
#include "controllers/netpol/static_chains.h"
#include "kernel_state.h"
#include "support/netns.h"
#include "support/root.h"
#include "support/run.h"

namespace kr::netpol::testing {
namespace {

using netfilter::IptablesBackend;

class ApplierTest : public ::testing::TestWithParam<IptablesBackend> {
 protected:
  void SetUp() override {
    KR_REQUIRE_ROOT_AND_TOOLS("ip", "ipset", "iptables-legacy-restore", "iptables-nft-restore",
                              "ip6tables-legacy-restore", "ip6tables-nft-restore");
    ns_ = std::make_unique<kr::test::ScopedNetns>();
    path_ = "/var/run/netns/" + ns_->name();
    iptables_ = netfilter::make_iptables(GetParam(), path_);
    ipset_ = netfilter::make_ipset(path_);
  }

  // A cluster whose policies use every rule shape the builder has.
  static Cluster every_shape() {
    Cluster c;
    c.settings.default_deny = true;
    c.settings.external_ip_ranges = {*parse_cidr("203.0.113.0/24"), *parse_cidr("2001:db8::/64")};
    c.settings.loadbalancer_ip_ranges = {*parse_cidr("198.51.100.0/24")};
    c.state.pods.push_back(
        make_pod({.ns = "x",
                  .name = "web",
                  .ips = {"10.244.1.9", "fd00:244:1::9"},
                  .labels = {{"pod", "web"}},
                  .ports = {container_port("http", 8080), container_port("dns", 53, "UDP")}}));
    c.add_policy({.ns = "x", .name = "deny"});
    c.add_policy({.ns = "x",
                  .name = "both",
                  .pod_selector = match_labels({{"pod", "a"}}),
                  .types = {"Ingress", "Egress"}});
    c.add_policy(
        {.ns = "x",
         .name = "mixed",
         .pod_selector = match_expression("pod", "In", {"b", "web"}),
         .types = {"Ingress", "Egress"},
         .ingress = {rule({pods_peer(match_labels({{"pod", "c"}})),
                           namespaces_peer(match_labels({{"ns", "y"}}),
                                           match_labels({{"pod", "b"}})),
                           block_peer("10.0.0.0/8", {"10.244.2.0/24", "10.1.0.0/16"}),
                           block_peer("fd00::/8", {"fd00:244:3::/64"})},
                          {port(80), port(30000, "TCP", 31000), port(36000, "SCTP"),
                           protocol_only("UDP"), named("http"), named("dns", "UDP")}),
                     rule({})},
         .egress = {rule({}, {port(53, "UDP"), named("http")}),
                    rule({block_peer("0.0.0.0/0", {"169.254.169.254/32"}), block_peer("::/0")},
                         {port(443)}),
                    rule({namespaces_peer(match_labels({}))})}});
    return c;
  }

  std::unique_ptr<kr::test::ScopedNetns> ns_;
  std::string path_;
  std::unique_ptr<netfilter::Iptables> iptables_;
  std::unique_ptr<netfilter::Ipset> ipset_;
};

TEST_P(ApplierTest, EveryRuleShapeReadsBackIdentically) {
  const DesiredState d = every_shape().build();
  ASSERT_TRUE(d.problems.empty());
  Applier first(*iptables_, *ipset_, nullptr);
  EXPECT_TRUE(first.apply(d, true).wrote());

  // What the kernel gives back plans to nothing: rule text, hook positions and set members
  // all compare equal.
  for (const Family f : netfilter::kFamilies) {
    const netfilter::FilterPlan plan = netfilter::plan_filter(
        rules(d, f).filter, saved_filter(ns_->name(), GetParam(), f), is_firewall_chain);
    EXPECT_TRUE(plan.empty()) << family_name(f) << " would rewrite:\n" << plan.document;
    const netfilter::IpsetPlan sets = netfilter::plan_ipsets(
        rules(d, f).ipsets, saved_ipsets(ns_->name()), f, is_firewall_ipset, swap_set_name(f));
    EXPECT_TRUE(sets.update_script.empty()) << sets.update_script;
  }
  Applier restarted(*iptables_, *ipset_, nullptr);
  EXPECT_FALSE(restarted.apply(d, true).wrote());
}

TEST_P(ApplierTest, ChangesWriteOnlyTheirDifference) {
  Cluster c = every_shape();
  Applier applier(*iptables_, *ipset_, nullptr);
  applier.apply(c.build(), true);

  // A remote pod appears that two peer selectors match: two sets are swapped, no rule changes.
  c.state.pods.push_back(make_pod({.ns = "y",
                                   .name = "new",
                                   .ips = {"10.244.2.77"},
                                   .labels = {{"pod", "b"}},
                                   .node = "node-2"}));
  ApplyResult r = applier.apply(c.build(), false);
  EXPECT_EQ(r.iptables_restores, 0u);
  EXPECT_EQ(r.sets_written, 2u);
  const auto sets = saved_ipsets(ns_->name());
  const DesiredState want = c.build();
  const std::string from =
      set_matched(rules(want), policy_chain_name("x", "mixed", Direction::kIngress, Family::kIPv4),
                  "pods", "src");
  EXPECT_EQ(sets.at(from).members,
            (std::vector<std::string>{"10.244.1.3", "10.244.2.2", "10.244.2.77"}))
      << "x/c, y/b and y/new";
  const std::string to =
      set_matched(rules(want), policy_chain_name("x", "mixed", Direction::kEgress, Family::kIPv4),
                  "pods", "dst");
  EXPECT_EQ(sets.at(to).members.size(), 11u) << "every pod: 9, x/web and y/new";

  // A local pod appears: its chain plus edits of the three KUBE-ROUTER chains, per family.
  c.state.pods.push_back(
      make_pod({.ns = "x", .name = "new", .ips = {"10.244.1.77"}, .labels = {{"pod", "new"}}}));
  r = applier.apply(c.build(), false);
  EXPECT_EQ(r.iptables_restores, 1u) << "IPv4 only: the pod has no IPv6 address";
  EXPECT_EQ(r.chains_written, 4u);
  const auto table = saved_filter(ns_->name(), GetParam(), Family::kIPv4);
  EXPECT_TRUE(table.has_chain(pod_chain_name("x", "new")));
  EXPECT_FALSE(applier.apply(c.build(), true).wrote()) << "and the result reads back equal";
}

TEST_P(ApplierTest, RemovedPodsAndPoliciesLeaveNothingBehind) {
  Cluster c = every_shape();
  Applier applier(*iptables_, *ipset_, nullptr);
  applier.apply(c.build(), true);
  c.state.policies.clear();
  c.state.pods.resize(3);  // x/a, x/b, x/c remain
  applier.apply(c.build(), false);
  const auto table = saved_filter(ns_->name(), GetParam(), Family::kIPv4);
  for (const std::string& chain : table.chain_names) {
    EXPECT_FALSE(chain.starts_with("KUBE-NWPLCY-") && chain != "KUBE-NWPLCY-COMMON" &&
                 chain != "KUBE-NWPLCY-DEFAULT" && chain != "KUBE-NWPLCY-TAIL")
        << chain;
  }
  EXPECT_FALSE(table.has_chain(pod_chain_name("x", "web")));
  for (const auto& [name, set] : saved_ipsets(ns_->name())) {
    EXPECT_TRUE(name.find("kube-router-local-pods") != std::string::npos) << name;
  }
}

TEST_P(ApplierTest, ForeignRulesAndSetsSurviveSyncsAndCleanup) {
  const std::string tool = backend_tool(GetParam(), Family::kIPv4, "restore");
  const std::string foreign =
      "*filter\n:FOREIGN - [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n"
      "-A FORWARD -s 203.0.113.0/24 -j DROP\n-A FOREIGN -m set --match-set foreign-set src "
      "-j RETURN\n-A OUTPUT -j FOREIGN\nCOMMIT\n";
  ASSERT_TRUE(ns_->run({"ipset", "create", "foreign-set", "hash:ip"}).ok());
  ASSERT_TRUE(ns_->run({"ipset", "add", "foreign-set", "192.0.2.1"}).ok());
  ASSERT_TRUE(ns_->run({"ipset", "create", "KUBE-SRC-LOOKSLIKEOURS", "hash:ip"}).ok());
  ASSERT_TRUE(ns_->run({"iptables-" + std::string(backend_name(GetParam())) + "-save"}).ok());
  iptables_->restore_filter(Family::kIPv4, foreign);
  const std::string before = foreign_rules(saved_filter(ns_->name(), GetParam(), Family::kIPv4));
  const auto foreign_set = saved_ipsets(ns_->name()).at("foreign-set");

  Cluster c = every_shape();
  Applier applier(*iptables_, *ipset_, nullptr);
  applier.apply(c.build(), true);
  c.state.policies.pop_back();
  applier.apply(c.build(), false);
  applier.apply(c.build(), true);

  auto table = saved_filter(ns_->name(), GetParam(), Family::kIPv4);
  EXPECT_EQ(foreign_rules(table), before);
  EXPECT_EQ(table.chain("INPUT").front(), hook_rules()[0].rule) << "our hook comes first";
  EXPECT_EQ(saved_ipsets(ns_->name()).at("foreign-set").members, foreign_set.members);

  EXPECT_TRUE(cleanup_network_policy(path_));
  table = saved_filter(ns_->name(), GetParam(), Family::kIPv4);
  EXPECT_EQ(foreign_rules(table), before);
  for (const std::string& chain : table.chain_names) {
    EXPECT_FALSE(is_firewall_chain(chain)) << chain << " left after cleanup";
  }
  const auto sets = saved_ipsets(ns_->name());
  EXPECT_TRUE(sets.contains("foreign-set"));
  for (const auto& [name, set] : sets) {
    EXPECT_FALSE(is_firewall_ipset(name)) << name << " left after cleanup";
  }
  for (const Family f : netfilter::kFamilies) {
    for (const std::string& chain : saved_filter(ns_->name(), GetParam(), f).chain_names) {
      EXPECT_FALSE(is_firewall_chain(chain)) << chain;
    }
  }
}

TEST_P(ApplierTest, FullResyncRepinsTheHookAndRepairsDrift) {
  const DesiredState d = every_shape().build();
  Applier applier(*iptables_, *ipset_, nullptr);
  applier.apply(d, true);
  const std::string pod_chain = pod_chain_name("x", "a");
  iptables_->restore_filter(Family::kIPv4,
                            "*filter\n-I INPUT 1 -j ACCEPT\n-F " + pod_chain + "\nCOMMIT\n");
  EXPECT_FALSE(applier.apply(d, false).wrote()) << "between resyncs the kernel is not read";
  EXPECT_TRUE(applier.apply(d, true).wrote());
  const auto table = saved_filter(ns_->name(), GetParam(), Family::kIPv4);
  EXPECT_EQ(table.chain("INPUT").at(0), hook_rules()[0].rule);
  EXPECT_EQ(table.chain("INPUT").at(1), "-j ACCEPT");
  EXPECT_EQ(table.chain(pod_chain), rules(d).filter.chains.at(pod_chain));
}

TEST_P(ApplierTest, AFailedRestoreChangesNothingAndIsReported) {
  Cluster c = every_shape();
  Applier applier(*iptables_, *ipset_, nullptr);
  applier.apply(c.build(), true);
  const auto before = saved_filter(ns_->name(), GetParam(), Family::kIPv4);
  DesiredState broken = c.build();
  broken.family(Family::kIPv4)->filter.chains["KUBE-NWPLCY-BROKEN"] = {"-m nosuchmatch -j DROP"};
  auto& forward = broken.family(Family::kIPv4)->filter.chains.at("KUBE-ROUTER-FORWARD").edit();
  forward.insert(forward.begin(), "-j DROP");
  EXPECT_THROW(applier.apply(broken, false), netfilter::NetfilterError);
  const auto after = saved_filter(ns_->name(), GetParam(), Family::kIPv4);
  EXPECT_EQ(after.rules, before.rules) << "the restore is one transaction";
  EXPECT_FALSE(applier.apply(c.build(), false).wrote()) << "the next pass read the kernel";
}

// Whether `have` starts with `want` followed by nothing or an unconditional RETURN: a packet
// then meets exactly the rules of `want`.
bool behaves_as(const std::vector<std::string>& have, const std::vector<std::string>& want) {
  return have.size() >= want.size() && std::equal(want.begin(), want.end(), have.begin()) &&
         (have.size() == want.size() || have[want.size()] == "-j RETURN");
}

TEST_P(ApplierTest, RemovalsAreEnforcedWhenProgrammedAndCleanedUpBeforeReturning) {
  Cluster c = every_shape();
  Applier applier(*iptables_, *ipset_, nullptr);
  applier.apply(c.build(), true);
  // "mixed" goes: the chains of x/b and x/web lose their jumps to its chains (removals inside
  // chains that stay), and its chains become stale.
  ASSERT_EQ(c.state.policies.back()->meta.name, "mixed");
  c.state.policies.pop_back();
  const DesiredState want = c.build();
  const std::string web = pod_chain_name("x", "web");
  const std::string mixed = policy_chain_name("x", "mixed", Direction::kIngress, Family::kIPv4);
  ASSERT_FALSE(rules(want).filter.chains.contains(mixed));
  int calls = 0;
  const ApplyResult r = applier.apply(want, false, [&](const ApplyResult&) {
    ++calls;
    const auto table = saved_filter(ns_->name(), GetParam(), Family::kIPv4);
    for (const auto& [chain, chain_rules] : rules(want).filter.chains) {
      EXPECT_TRUE(behaves_as(table.chain(chain), chain_rules)) << chain;
    }
  });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(r.cleanup_restores, GetParam() == IptablesBackend::kNft ? 2u : 0u)
      << "nft defers the removals of both families";
  const auto table = saved_filter(ns_->name(), GetParam(), Family::kIPv4);
  EXPECT_EQ(table.chain(web), rules(want).filter.chains.at(web)) << "no unreachable rule left";
  EXPECT_FALSE(table.has_chain(mixed));
  EXPECT_FALSE(applier.apply(want, true).wrote()) << "the kernel reads back as planned";
}

INSTANTIATE_TEST_SUITE_P(Backends, ApplierTest,
                         ::testing::Values(IptablesBackend::kLegacy, IptablesBackend::kNft),
                         [](const auto& info) { return std::string(backend_name(info.param)); });

}  // namespace
}  // namespace kr::netpol::testing
