// The builder's cache only saves work: after any sequence of changes to pods, namespaces and
// policies, a build that kept its cache across all of them gives exactly what a fresh build of
// the final state gives, except for the order of the pods' jumps in the KUBE-ROUTER-* chains
// (newest first: it depends on the order pods came in). Random sequences (fixed seeds) of the
// changes a cluster sees.
#include "controllers/netpol/build_cache.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "builder_test_support.h"

namespace kr::netpol::testing {
namespace {

class RandomCluster {
 public:
  explicit RandomCluster(unsigned seed) : rng_(seed) {
    state.namespaces = {make_namespace("x", {{"team", "a"}}), make_namespace("y", {{"team", "b"}}),
                        make_namespace("z", {{"team", "a"}})};
    for (int i = 0; i < 12; ++i) add_pod();
    for (int i = 0; i < 6; ++i) put_policy();
  }

  // One random change, like one API event.
  void change() {
    switch (pick(9)) {
      case 0:
      case 1:
        add_pod();
        break;
      case 2:
        if (!state.pods.empty()) state.pods.erase(state.pods.begin() + pick(state.pods.size()));
        break;
      case 3:  // a new version of a pod: labels, address, ports or phase
        if (!state.pods.empty()) {
          auto& slot = state.pods[pick(state.pods.size())];
          slot = pod(slot->meta.namespace_.str(), slot->meta.name);
        }
        break;
      case 4:  // a namespace's labels change, or its object comes or goes
        relabel_namespace();
        break;
      case 5:
      case 6:
        put_policy();
        break;
      case 7:
        if (!state.policies.empty()) {
          state.policies.erase(state.policies.begin() + pick(state.policies.size()));
        }
        break;
      default:  // several at once, as a burst coalesced into one pass
        add_pod();
        put_policy();
        break;
    }
  }

  ClusterState state;

 private:
  size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  std::string one_of(std::initializer_list<const char*> values) {
    return *(values.begin() + pick(values.size()));
  }

  std::shared_ptr<const k8s::Pod> pod(const std::string& ns, const std::string& name) {
    const int n = static_cast<int>(++addresses_);
    std::vector<std::string> ips = {fmt::format("10.244.{}.{}", n / 200, n % 200 + 1)};
    if (pick(4) != 0) ips.push_back(fmt::format("fd00:244::{:x}", n));
    if (pick(8) == 0) ips = {fmt::format("fd00:244::{:x}", n)};
    std::vector<k8s::ContainerPort> ports;
    if (pick(2) == 0) ports.push_back(container_port("http", pick(2) == 0 ? 80 : 8080));
    if (pick(3) == 0) ports.push_back(container_port("dns", 53, "UDP"));
    auto p = std::make_shared<k8s::Pod>(*make_pod({.ns = ns,
                                                   .name = name,
                                                   .ips = ips,
                                                   .node = pick(3) == 0 ? "node-2" : "node-1",
                                                   .ports = ports,
                                                   .phase = pick(10) == 0 ? "Succeeded" : "Running",
                                                   .host_network = pick(15) == 0}));
    p->meta.labels.set("app", one_of({"a", "b", "c"}));
    if (pick(2) == 0) p->meta.labels.set("tier", one_of({"web", "db"}));
    return p;
  }

  void add_pod() {
    const std::string ns = one_of({"x", "y", "z", "w"});  // w has no Namespace object
    state.pods.push_back(pod(ns, fmt::format("p{}", ++names_)));
  }

  void relabel_namespace() {
    const size_t i = pick(state.namespaces.size() + 1);
    if (i == state.namespaces.size()) {
      const bool has_w = std::any_of(state.namespaces.begin(), state.namespaces.end(),
                                     [](const auto& n) { return n->meta.name == "w"; });
      if (has_w) {
        std::erase_if(state.namespaces, [](const auto& n) { return n->meta.name == "w"; });
      } else {
        state.namespaces.push_back(make_namespace("w", {{"team", "b"}}));
      }
      return;
    }
    auto n = std::make_shared<k8s::Namespace>(*state.namespaces[i]);
    n->meta.labels.set("team", one_of({"a", "b", "c"}));
    state.namespaces[i] = n;
  }

  k8s::LabelSelector selector() {
    switch (pick(5)) {
      case 0:
        return {};
      case 1:
        return match_expression("app", "In", {"a", "b"});
      case 2:
        return match_labels({{"tier", "db"}});
      default: {
        k8s::LabelSelector s;
        s.match_labels.set("app", one_of({"a", "b", "c"}));
        return s;
      }
    }
  }

  k8s::NetworkPolicyPeer peer() {
    switch (pick(5)) {
      case 0: {
        k8s::LabelSelector namespaces;
        namespaces.match_labels.set("team", one_of({"a", "b"}));
        return namespaces_peer(namespaces, pick(2) == 0 ? std::optional(selector()) : std::nullopt);
      }
      case 1:
        return namespaces_peer({}, selector());
      case 2:
        return pick(2) == 0 ? block_peer("10.244.0.0/16", {"10.244.1.0/24"})
                            : block_peer("fd00:244::/64");
      default:
        return pods_peer(selector());
    }
  }

  std::vector<k8s::NetworkPolicyRule> rules() {
    std::vector<k8s::NetworkPolicyRule> out;
    for (size_t r = pick(3); r > 0; --r) {
      std::vector<k8s::NetworkPolicyPeer> peers;
      for (size_t p = pick(3); p > 0; --p) peers.push_back(peer());
      std::vector<k8s::NetworkPolicyPort> ports;
      switch (pick(4)) {
        case 0:
          ports = {named("http")};
          break;
        case 1:
          ports = {named("dns", "UDP"), port(443)};
          break;
        case 2:
          ports = {port(80, "TCP", 90)};
          break;
        default:
          break;
      }
      out.push_back(rule(std::move(peers), std::move(ports)));
    }
    return out;
  }

  // Adds a policy or replaces one of the same name (a new version).
  void put_policy() {
    const std::string ns = one_of({"x", "y", "z"});
    const std::string name = fmt::format("np{}", pick(8));
    std::vector<std::string> types;
    switch (pick(3)) {
      case 0:
        types = {"Ingress"};
        break;
      case 1:
        types = {"Egress"};
        break;
      default:
        types = {"Ingress", "Egress"};
        break;
    }
    auto policy = make_policy({.ns = ns,
                               .name = name,
                               .pod_selector = selector(),
                               .types = types,
                               .ingress = rules(),
                               .egress = rules()});
    for (auto& existing : state.policies) {
      if (existing->meta.key() == policy->meta.key()) {
        existing = policy;
        return;
      }
    }
    state.policies.push_back(policy);
  }

  std::mt19937 rng_;
  unsigned addresses_ = 0;
  unsigned names_ = 0;
};

// The chains, with the KUBE-ROUTER-* chains' rules in sorted order.
std::map<std::string, std::vector<std::string>> comparable(const netfilter::DesiredFilter& filter) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [name, rules] : filter.chains) {
    std::vector<std::string> copy = rules;
    if (name.starts_with("KUBE-ROUTER-")) std::sort(copy.begin(), copy.end());
    out.emplace(name, std::move(copy));
  }
  return out;
}

void expect_same(const DesiredState& cached, const DesiredState& fresh, int step) {
  EXPECT_EQ(cached.problems, fresh.problems) << "step " << step;
  EXPECT_EQ(cached.policy_chains, fresh.policy_chains) << "step " << step;
  EXPECT_EQ(cached.policy_ipsets, fresh.policy_ipsets) << "step " << step;
  for (const Family f : netfilter::kFamilies) {
    const auto& a = cached.family(f);
    const auto& b = fresh.family(f);
    ASSERT_EQ(a.has_value(), b.has_value());
    if (!a) continue;
    EXPECT_EQ(comparable(a->filter), comparable(b->filter)) << "step " << step;
    ASSERT_EQ(a->ipsets.size(), b->ipsets.size()) << "step " << step;
    for (const auto& [name, set] : a->ipsets) {
      ASSERT_TRUE(b->ipsets.contains(name)) << name << " at step " << step;
      EXPECT_EQ(set.type, b->ipsets.at(name).type) << name;
      EXPECT_EQ(set.members, b->ipsets.at(name).members) << name << " at step " << step;
    }
  }
}

class CacheAcrossChanges : public ::testing::TestWithParam<unsigned> {};

TEST_P(CacheAcrossChanges, GivesWhatAFreshBuildGives) {
  RandomCluster cluster(GetParam());
  FirewallSettings settings;
  settings.ipv6 = true;
  settings.default_deny = GetParam() % 2 == 0;
  const NodeFacts node = test_node();
  BuildCache cache;
  for (int step = 0; step < 60; ++step) {
    const DesiredState cached = build_desired_state(cluster.state, node, settings, &cache);
    const DesiredState fresh = build_desired_state(cluster.state, node, settings);
    expect_same(cached, fresh, step);
    if (HasFailure()) return;
    cluster.change();
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, CacheAcrossChanges, ::testing::Range(1u, 41u));

}  // namespace
}  // namespace kr::netpol::testing
