// Target and peer selection (upstream's TestNewNetworkPolicySelectors fixture) and the API
// validation rules a policy is rejected for.
#include "controllers/netpol/policy_resolver.h"

#include <gtest/gtest.h>

#include "controllers/netpol/build_cache.h"
#include "fixtures.h"

namespace kr::netpol::testing {
namespace {

class Resolver : public ::testing::Test {
 protected:
  Resolver() {
    const auto pod = [&](std::string ns, std::string name, Labels l, std::string ip) {
      state_.pods.push_back(make_pod({.ns = ns, .name = name, .ips = {ip}, .labels = l}));
    };
    pod("nsA", "Aa", {{"app", "a"}}, "1.1.1.1");
    pod("nsA", "Aaa", {{"app", "a"}, {"component", "a"}}, "1.2.3.4");
    pod("nsA", "Aab", {{"app", "a"}, {"component", "b"}}, "1.3.2.2");
    pod("nsA", "Aac", {{"app", "a"}, {"component", "c"}}, "1.4.2.2");
    pod("nsB", "Ba", {{"app", "a"}}, "2.1.1.1");
    pod("nsB", "Baa", {{"app", "a"}, {"component", "a"}}, "2.2.2.2");
    pod("nsB", "Bab", {{"app", "a"}, {"component", "b"}}, "2.3.2.2");
    pod("nsC", "Ca", {{"app", "a"}}, "3.1");
    state_.namespaces = {make_namespace("nsA", {{"name", "a"}, {"team", "a"}}),
                         make_namespace("nsB", {{"name", "b"}, {"team", "a"}}),
                         make_namespace("nsC", {{"name", "c"}}),
                         make_namespace("nsD", {{"name", "d"}})};
  }

  std::optional<ResolvedPolicy> resolve(const PolicySpec& spec) {
    cache_.begin_pass(test_node());
    index_ = std::make_unique<ClusterIndex>(state_, cache_, problems_);
    compiled_ = compile_policy(make_policy(spec));
    problems_.insert(problems_.end(), compiled_.problems.begin(), compiled_.problems.end());
    if (!compiled_.policy) return std::nullopt;
    return kr::netpol::resolve(*compiled_.policy, *index_);
  }

  static std::vector<std::string> names(const Selection* selection) {
    std::vector<std::string> out;
    if (!selection) return out;
    for (const PodEntry* p : selection->pods) out.emplace_back(p->name);
    return out;
  }

  ClusterState state_;
  BuildCache cache_;
  PolicyCompilation compiled_;
  std::unique_ptr<ClusterIndex> index_;
  std::vector<Problem> problems_;
};

using Names = std::vector<std::string>;

TEST_F(Resolver, TargetsByNamespace) {
  EXPECT_TRUE(resolve({.ns = "nsXX", .name = "p"})->targets->pods.empty());
  EXPECT_TRUE(resolve({.ns = "nsD", .name = "p"})->targets->pods.empty());
  EXPECT_EQ(names(resolve({.ns = "nsA", .name = "p"})->targets),
            (Names{"Aa", "Aaa", "Aab", "Aac"}));
  EXPECT_EQ(names(resolve({.ns = "nsB", .name = "p"})->targets), (Names{"Ba", "Baa", "Bab"}));
}

TEST_F(Resolver, PodWithAnUnparsableAddressIsReportedAndSkipped) {
  EXPECT_TRUE(resolve({.ns = "nsC", .name = "p"})->targets->pods.empty());
  ASSERT_FALSE(problems_.empty());
  EXPECT_EQ(problems_[0].object, "nsC/Ca");
}

TEST_F(Resolver, TargetsByExpressionsAndLabels) {
  EXPECT_EQ(
      names(
          resolve({.ns = "nsA", .name = "p", .pod_selector = match_expression("app", "In", {"a"})})
              ->targets),
      (Names{"Aa", "Aaa", "Aab", "Aac"}));
  k8s::LabelSelector both = match_expression("app", "In", {"a"});
  both.match_expressions.push_back(
      match_expression("component", "In", {"b", "c"}).match_expressions[0]);
  EXPECT_EQ(names(resolve({.ns = "nsA", .name = "p", .pod_selector = both})->targets),
            (Names{"Aab", "Aac"}));
}

TEST_F(Resolver, IngressSourcesByNamespaceAndPod) {
  auto r = resolve({.ns = "nsA",
                    .name = "p",
                    .pod_selector = match_labels({{"app", "a"}}),
                    .ingress = {rule({namespaces_peer(match_labels({{"name", "b"}}))})}});
  EXPECT_EQ(names(r->ingress_rules.at(0).pods), (Names{"Ba", "Baa", "Bab"}));
  r = resolve({.ns = "nsA",
               .name = "p",
               .pod_selector = match_labels({{"app", "a"}}),
               .ingress = {rule({namespaces_peer(match_labels({{"name", "b"}}),
                                                 match_expression("component", "In", {"b"}))})}});
  EXPECT_EQ(names(r->ingress_rules.at(0).pods), (Names{"Bab"}));
}

TEST_F(Resolver, PolicyTypes) {
  EXPECT_TRUE(resolve({.ns = "nsA", .name = "p", .types = {"Ingress"}})->spec->ingress);
  auto r = resolve({.ns = "nsA", .name = "p", .types = {"Egress"}});
  EXPECT_FALSE(r->spec->ingress);
  EXPECT_TRUE(r->spec->egress);
  r = resolve({.ns = "nsA", .name = "p", .types = {"Ingress", "Egress"}});
  EXPECT_TRUE(r->spec->ingress && r->spec->egress);
  EXPECT_FALSE(resolve({.ns = "nsA", .name = "p", .types = {"Sideways"}}).has_value());
}

TEST_F(Resolver, AllowAllRules) {
  auto r = resolve({.ns = "nsA",
                    .name = "p",
                    .types = {"Ingress", "Egress"},
                    .ingress = {rule({})},
                    .egress = {rule({})}});
  EXPECT_TRUE(r->ingress_rules.at(0).spec->any_peer);
  EXPECT_TRUE(r->ingress_rules.at(0).spec->ports.empty());
  EXPECT_TRUE(r->egress_rules.at(0).spec->any_peer);
}

struct BadCase {
  const char* what;
  k8s::NetworkPolicyRule rule;
  const char* message_part;
};

TEST_F(Resolver, InvalidRulesRejectThePolicy) {
  const std::vector<BadCase> cases = {
      {"bad cidr", rule({block_peer("foo")}), "ipBlock.cidr: invalid CIDR 'foo'"},
      {"bad except", rule({block_peer("10.0.0.0/8", {"10.0.0/16"})}), "except[0]"},
      {"except outside", rule({block_peer("10.0.0.0/8", {"11.0.0.0/16"})}), "not strictly inside"},
      {"ipBlock and selector",
       rule({k8s::NetworkPolicyPeer{match_labels({}), std::nullopt,
                                    k8s::IpBlock{"10.0.0.0/8", {}}}}),
       "may not be combined"},
      {"empty peer", rule({k8s::NetworkPolicyPeer{}}), "needs podSelector"},
      {"bad operator", rule({pods_peer(match_expression("a", "Near", {"b"}))}), "unknown operator"},
      {"bad port name", rule({}, {named("Not_A_Name")}), "not a valid port name"},
      {"long port name", rule({}, {named("abcdefghijklmnop")}), "not a valid port name"},
      {"port zero", rule({}, {port(0)}), "not in 1-65535"},
      {"end before port", rule({}, {port(80, "TCP", 79)}), "endPort"},
      {"bad protocol", rule({}, {port(80, "ICMP")}), "unsupported protocol"},
  };
  for (const BadCase& c : cases) {
    problems_.clear();
    const auto r = resolve({.ns = "nsA", .name = "bad", .ingress = {c.rule}});
    ASSERT_TRUE(r.has_value()) << c.what;
    EXPECT_TRUE(r->spec->rejected) << c.what;
    EXPECT_TRUE(r->ingress_rules.empty()) << c.what;
    EXPECT_EQ(names(r->targets).size(), 4u) << c.what << ": still isolates its pods";
    ASSERT_FALSE(problems_.empty()) << c.what;
    EXPECT_EQ(problems_.back().object, "nsA/bad");
    EXPECT_NE(problems_.back().message.find(c.message_part), std::string::npos)
        << c.what << ": " << problems_.back().message;
  }
}

TEST_F(Resolver, InvalidPodSelectorIgnoresThePolicy) {
  EXPECT_FALSE(
      resolve({.ns = "nsA", .name = "p", .pod_selector = match_expression("a", "In", {})}));
  ASSERT_FALSE(problems_.empty());
  EXPECT_NE(problems_.back().message.find("spec.podSelector"), std::string::npos);
}

TEST(PortNames, IanaServiceNames) {
  for (const char* good : {"http", "h2c", "web-8080", "a"}) {
    EXPECT_TRUE(is_valid_port_name(good)) << good;
  }
  for (const char* bad :
       {"", "8080", "-http", "http-", "ht--tp", "HTTP", "a_b", "abcdefghijklmnop"}) {
    EXPECT_FALSE(is_valid_port_name(bad)) << bad;
  }
}

}  // namespace
}  // namespace kr::netpol::testing
