// The exact rules and sets the builder writes for the shapes upstream documents (netpol.md
// §14's worked example, the §7.6 table), and which chains a change touches.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "builder_test_support.h"
#include "controllers/netpol/names.h"
#include "controllers/netpol/static_chains.h"

namespace kr::netpol::testing {
namespace {

using Rules = std::vector<std::string>;

class WorkedExample : public ::testing::Test {
 protected:
  WorkedExample() {
    settings_.cluster_ip_ranges = {*parse_cidr("10.96.0.0/12")};
    state_.namespaces = {make_namespace("default")};
    state_.pods = {make_pod({.ns = "default",
                             .name = "frontend",
                             .ips = {"10.244.1.5"},
                             .labels = {{"app", "frontend"}}}),
                   make_pod({.ns = "default",
                             .name = "backend",
                             .ips = {"10.244.1.6"},
                             .labels = {{"app", "backend"}},
                             .ports = {container_port("http", 8080)}})};
  }

  DesiredState build(std::vector<k8s::NetworkPolicyPort> ports) {
    state_.policies = {make_policy(
        {.ns = "default",
         .name = "allow-frontend",
         .pod_selector = match_labels({{"app", "backend"}}),
         .ingress = {rule({pods_peer(match_labels({{"app", "frontend"}}))}, std::move(ports))}})};
    return build_desired_state(state_, test_node(), settings_);
  }

  ClusterState state_;
  FirewallSettings settings_;
};

TEST_F(WorkedExample, PolicyChainAndSets) {
  const DesiredState d = build({port(8080)});
  const FamilyRuleset& r = rules(d);
  const std::string chain =
      policy_chain_name("default", "allow-frontend", Direction::kIngress, Family::kIPv4);
  const std::string src = set_matched(r, chain, "", "src");
  EXPECT_TRUE(src.starts_with("KUBE-SRC-")) << src;
  ASSERT_TRUE(r.ipsets.contains(src));
  EXPECT_EQ(r.ipsets.at(src).type, "hash:ip");
  EXPECT_EQ(r.ipsets.at(src).members, Rules{"10.244.1.5"});
  EXPECT_EQ(r.ipsets.size(), 1u) << "the selected pods need no set: the pod chain selects them";

  const std::string match =
      "-p tcp -m comment --comment \"default/allow-frontend ingress pods\" -m set --match-set " +
      src + " src -m tcp --dport 8080";
  EXPECT_EQ(r.filter.chains.at(chain),
            (Rules{match + " -j MARK --set-xmark 0x10000/0x10000",
                   match + " -m mark --mark 0x10000/0x10000 -j RETURN"}));
}

TEST_F(WorkedExample, PodChains) {
  const DesiredState d = build({port(8080)});
  const FamilyRuleset& r = rules(d);
  const std::string policy =
      policy_chain_name("default", "allow-frontend", Direction::kIngress, Family::kIPv4);
  const Rules tail = {
      "-m comment --comment \"default/backend log-drop\" -m mark ! --mark 0x10000/0x10000 -m limit "
      "--limit 10/min --limit-burst 10 -j NFLOG --nflog-group 100",
      "-m comment --comment \"default/backend reject\" -m mark ! --mark 0x10000/0x10000 -j REJECT "
      "--reject-with icmp-port-unreachable",
      "-j MARK --set-xmark 0x0/0x10000",
      "-m comment --comment \"set netpol-ok mark\" -j MARK --set-xmark 0x20000/0x20000"};
  Rules backend = {
      "-m comment --comment \"common netpol rules\" -j KUBE-NWPLCY-COMMON",
      "-d 10.244.1.6/32 -m comment --comment \"from local node\" -m addrtype --src-type LOCAL -j "
      "ACCEPT",
      "-s 10.244.1.6/32 -m comment --comment \"default egress\" -j KUBE-NWPLCY-DEFAULT",
      "-d 10.244.1.6/32 -m comment --comment \"default/allow-frontend policy\" -j " + policy};
  backend.insert(backend.end(), tail.begin(), tail.end());
  EXPECT_EQ(r.filter.chains.at(pod_chain_name("default", "backend")), backend);

  const Rules& frontend = r.filter.chains.at(pod_chain_name("default", "frontend"));
  ASSERT_EQ(frontend.size(), 8u);
  EXPECT_EQ(frontend[2],
            "-s 10.244.1.5/32 -m comment --comment \"default egress\" -j KUBE-NWPLCY-DEFAULT");
  EXPECT_EQ(frontend[3],
            "-d 10.244.1.5/32 -m comment --comment \"default ingress\" -j KUBE-NWPLCY-DEFAULT");
}

TEST_F(WorkedExample, TopLevelChains) {
  const DesiredState d = build({port(8080)});
  const FamilyRuleset& r = rules(d);
  const std::string backend = pod_chain_name("default", "backend");
  const Rules& forward = r.filter.chains.at("KUBE-ROUTER-FORWARD");
  ASSERT_EQ(forward.size(), 10u) << "4 jumps per pod, then TAIL and the ACCEPT";
  // The pods' jumps come first, in no order the API defines (newest pod first).
  const auto jump =
      std::find(forward.begin(), forward.begin() + 8,
                "-d 10.244.1.6/32 -m comment --comment \"default/backend in\" -j " + backend);
  ASSERT_NE(jump, forward.begin() + 8);
  EXPECT_EQ(*(jump + 1),
            "-d 10.244.1.6/32 -m comment --comment \"default/backend in\" -m physdev "
            "--physdev-is-bridged -j " +
                backend);
  EXPECT_EQ(forward[8],
            "-m comment --comment \"rule to explicitly handle traffic for network policies "
            "ACCEPT/REJECT decision\" -j KUBE-NWPLCY-TAIL");
  EXPECT_EQ(forward[9],
            "-m comment --comment \"rule to explicitly ACCEPT traffic that comply to network "
            "policies\" -m mark --mark 0x20000/0x20000 -j ACCEPT");
  const Rules& input = r.filter.chains.at("KUBE-ROUTER-INPUT");
  EXPECT_EQ(input[0],
            "-d 10.96.0.0/12 -m comment --comment \"allow traffic to primary cluster IP range\" -j "
            "RETURN");
  EXPECT_EQ(input[1],
            "-p tcp -m comment --comment \"allow LOCAL TCP traffic to node ports\" -m addrtype "
            "--dst-type LOCAL -m multiport --dports 30000:32767 -j RETURN");
  EXPECT_EQ(r.filter.pinned.at(0).rule,
            "-m comment --comment \"kube-router netpol - 4IA2OSFRMVNDXBVV\" -j KUBE-ROUTER-INPUT");
}

TEST_F(WorkedExample, NamedPortUsesASetOfThePodsExposingIt) {
  const DesiredState d = build({named("http")});
  const FamilyRuleset& r = rules(d);
  const std::string chain =
      policy_chain_name("default", "allow-frontend", Direction::kIngress, Family::kIPv4);
  const std::string np = set_matched(r, chain, "", "dst");
  ASSERT_TRUE(r.ipsets.contains(np));
  EXPECT_EQ(r.ipsets.at(np).members, Rules{"10.244.1.6"});
  EXPECT_EQ(r.filter.chains.at(chain).at(0),
            "-p tcp -m comment --comment \"default/allow-frontend ingress pods np\" -m set "
            "--match-set " +
                set_matched(r, chain, "", "src") + " src -m set --match-set " + np +
                " dst -m tcp --dport 8080 -j MARK --set-xmark 0x10000/0x10000");
}

TEST_F(WorkedExample, PortShapes) {
  const DesiredState d =
      build({port(30000, "TCP", 31000), port(36000, "SCTP"), protocol_only("UDP")});
  const std::string chain =
      policy_chain_name("default", "allow-frontend", Direction::kIngress, Family::kIPv4);
  const Rules& rules_ = rules(d).filter.chains.at(chain);
  ASSERT_EQ(rules_.size(), 6u);
  EXPECT_NE(rules_[0].find("-p tcp "), std::string::npos);
  EXPECT_NE(rules_[0].find(" -m tcp --dport 30000:31000 "), std::string::npos) << rules_[0];
  EXPECT_TRUE(rules_[2].starts_with("-p sctp ")) << rules_[2];
  EXPECT_NE(rules_[2].find(" -m sctp --dport 36000 "), std::string::npos) << rules_[2];
  EXPECT_TRUE(rules_[4].starts_with("-p udp -m comment")) << rules_[4];
  EXPECT_EQ(rules_[4].find("--dport"), std::string::npos) << rules_[4];
}

TEST_F(WorkedExample, EgressAnyAndCidrComments) {
  state_.policies = {
      make_policy({.ns = "default",
                   .name = "eg",
                   .types = {"Egress"},
                   .egress = {rule({}, {port(53, "UDP")}), rule({block_peer("10.0.0.0/8")})}})};
  const DesiredState d = build_desired_state(state_, test_node(), settings_);
  const Rules& chain = rules(d).filter.chains.at(
      policy_chain_name("default", "eg", Direction::kEgress, Family::kIPv4));
  ASSERT_EQ(chain.size(), 4u);
  EXPECT_EQ(chain[0],
            "-p udp -m comment --comment \"default/eg egress any\" -m udp --dport 53 -j MARK "
            "--set-xmark 0x10000/0x10000");
  const std::string block =
      set_matched(rules(d), policy_chain_name("default", "eg", Direction::kEgress, Family::kIPv4),
                  "cidr", "dst");
  EXPECT_EQ(chain[2], "-m comment --comment \"default/eg egress cidr\" -m set --match-set " +
                          block + " dst -j MARK --set-xmark 0x10000/0x10000");
  EXPECT_EQ(rules(d).ipsets.at(block).type, "hash:net");
  EXPECT_EQ(rules(d).ipsets.at(block).members, Rules{"10.0.0.0/8"});
}

TEST(BuilderStability, SameInputsGiveTheSameRuleset) {
  Cluster c;
  c.add_policy({.ns = "x", .name = "p", .ingress = {rule({namespaces_peer(match_labels({}))})}});
  const DesiredState a = c.build();
  std::reverse(c.state.pods.begin(), c.state.pods.end());
  std::reverse(c.state.namespaces.begin(), c.state.namespaces.end());
  const DesiredState b = c.build();
  for (const Family f : netfilter::kFamilies) {
    EXPECT_EQ(rules(a, f).filter.chains, rules(b, f).filter.chains);
    EXPECT_EQ(rules(a, f).ipsets.size(), rules(b, f).ipsets.size());
    for (const auto& [name, set] : rules(a, f).ipsets) {
      EXPECT_EQ(set.members, rules(b, f).ipsets.at(name).members) << name;
    }
  }
}

std::set<std::string> changed_chains(const FamilyRuleset& before, const FamilyRuleset& after) {
  std::set<std::string> out;
  for (const auto& [name, rules] : after.filter.chains) {
    const auto it = before.filter.chains.find(name);
    if (it == before.filter.chains.end() || it->second != rules) out.insert(name);
  }
  for (const auto& [name, rules] : before.filter.chains) {
    if (!after.filter.chains.contains(name)) out.insert(name);
  }
  return out;
}

TEST(BuilderStability, ARemotePodChangesOnlyTheSetsItIsIn) {
  Cluster c;
  c.add_policy({.ns = "x", .name = "p", .ingress = {rule({namespaces_peer(match_labels({}))})}});
  const DesiredState before = c.build();
  c.state.pods.push_back(
      make_pod({.ns = "y", .name = "new", .ips = {"10.244.2.50"}, .node = "node-2"}));
  const DesiredState after = c.build();
  EXPECT_TRUE(changed_chains(rules(before), rules(after)).empty());
  const std::string set = set_matched(
      rules(after), policy_chain_name("x", "p", Direction::kIngress, Family::kIPv4), "", "src");
  EXPECT_EQ(rules(after).ipsets.at(set).members.size(),
            rules(before).ipsets.at(set).members.size() + 1);
}

TEST(BuilderStability, RulesWithTheSamePeersShareOneSet) {
  Cluster c;
  for (const std::string name : {"p1", "p2"}) {
    c.add_policy({.ns = "x",
                  .name = name,
                  .pod_selector = match_labels({{"pod", name == "p1" ? "a" : "b"}}),
                  .ingress = {rule({namespaces_peer(match_labels({{"ns", "y"}}))}, {port(80)})}});
  }
  c.add_policy(
      {.ns = "x", .name = "p3", .ingress = {rule({namespaces_peer(match_labels({{"ns", "z"}}))})}});
  const DesiredState d = c.build();
  const auto set_of = [&](std::string name) {
    return set_matched(rules(d), policy_chain_name("x", name, Direction::kIngress, Family::kIPv4),
                       "", "src");
  };
  EXPECT_EQ(set_of("p1"), set_of("p2"));
  EXPECT_NE(set_of("p1"), set_of("p3"));
  EXPECT_EQ(rules(d).ipsets.at(set_of("p1")).members,
            (std::vector<std::string>{"10.244.2.1", "10.244.2.2", "10.244.2.3"}));
}

void expect_same(const DesiredState& a, const DesiredState& b) {
  EXPECT_EQ(a.problems, b.problems);
  for (const Family f : netfilter::kFamilies) {
    EXPECT_EQ(rules(a, f).filter.chains, rules(b, f).filter.chains);
    ASSERT_EQ(rules(a, f).ipsets.size(), rules(b, f).ipsets.size());
    for (const auto& [name, set] : rules(a, f).ipsets) {
      ASSERT_TRUE(rules(b, f).ipsets.contains(name)) << name;
      EXPECT_EQ(set.members, rules(b, f).ipsets.at(name).members) << name;
    }
  }
}

TEST(BuilderStability, ACacheKeptAcrossPassesChangesNothing) {
  Cluster c;
  BuildCache cache;
  c.add_policy({.ns = "x", .name = "p", .ingress = {rule({namespaces_peer(match_labels({}))})}});
  expect_same(build_desired_state(c.state, c.node, c.settings, &cache), c.build());
  c.state.pods.push_back(make_pod({.ns = "x", .name = "new", .ips = {"10.244.1.50"}}));
  expect_same(build_desired_state(c.state, c.node, c.settings, &cache), c.build());
  c.state.policies.back() = make_policy(
      {.ns = "x", .name = "p", .ingress = {rule({namespaces_peer(match_labels({}))}, {port(81)})}});
  expect_same(build_desired_state(c.state, c.node, c.settings, &cache), c.build());
  c.state.policies.push_back(
      make_policy({.ns = "x", .name = "bad", .ingress = {rule({block_peer("nope")})}}));
  expect_same(build_desired_state(c.state, c.node, c.settings, &cache), c.build());
  c.state.pods.erase(c.state.pods.begin());
  c.state.policies.erase(c.state.policies.begin());
  expect_same(build_desired_state(c.state, c.node, c.settings, &cache), c.build());
}

TEST(BuilderStability, ALocalPodAddsItsChainAndItsJumps) {
  Cluster c;
  const DesiredState before = c.build();
  c.state.pods.push_back(make_pod({.ns = "x", .name = "new", .ips = {"10.244.1.50"}}));
  const DesiredState after = c.build();
  EXPECT_EQ(changed_chains(rules(before), rules(after)),
            (std::set<std::string>{pod_chain_name("x", "new"), "KUBE-ROUTER-FORWARD",
                                   "KUBE-ROUTER-INPUT", "KUBE-ROUTER-OUTPUT"}));
}

TEST(BuilderStability, APolicyChangeTouchesItsChainOnly) {
  Cluster c;
  c.add_policy({.ns = "x", .name = "p", .ingress = {rule({}, {port(80)})}});
  const DesiredState before = c.build();
  c.state.policies.clear();
  c.add_policy({.ns = "x", .name = "p", .ingress = {rule({}, {port(81)})}});
  const DesiredState after = c.build();
  EXPECT_EQ(
      changed_chains(rules(before), rules(after)),
      (std::set<std::string>{policy_chain_name("x", "p", Direction::kIngress, Family::kIPv4)}));
}

}  // namespace
}  // namespace kr::netpol::testing
