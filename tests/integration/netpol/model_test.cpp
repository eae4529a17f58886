// The Kubernetes e2e netpol model cases (test/e2e/network/netpol/network_policy.go) against
// the real firewall: every case programs its policies on both nodes, then connects from each
// of the 9 pods to each of the 9 pods over IPv4 and IPv6 and compares the whole matrix with
// what the NetworkPolicy API says. SCTP is checked with real INIT packets (this kernel has no
// SCTP sockets; raw sockets carry them through the real rules and conntrack).
#include <gtest/gtest.h>

#include "model_env.h"
#include "support/root.h"

namespace kr::netpol::testing {
namespace {

using netfilter::Family;
using netfilter::IptablesBackend;

class NetpolModel : public ::testing::TestWithParam<IptablesBackend> {
 protected:
  void SetUp() override {
    KR_REQUIRE_ROOT_AND_TOOLS("ip", "ipset", "sysctl", "iptables-legacy-restore",
                              "iptables-nft-restore", "ip6tables-legacy-restore",
                              "ip6tables-nft-restore");
    env_ = std::make_unique<ModelEnv>(GetParam());
  }

  Reachability all(bool allowed = true) { return Reachability(ModelEnv::pod_keys(), allowed); }

  // One model case: program `policies`, then check `expected` for each (proto, port).
  void run_case(const std::string& name, const std::vector<PolicySpec>& policies,
                const Reachability& expected, std::vector<std::pair<Proto, int>> checks) {
    SCOPED_TRACE(name);
    env_->set_policies(policies);
    for (const auto& [proto, port] : checks) {
      EXPECT_EQ(env_->check(expected, proto, port), "") << name;
    }
  }

  std::unique_ptr<ModelEnv> env_;
};

const auto kTcp80 = std::make_pair(Proto::kTcp, 80);
const auto kTcp81 = std::make_pair(Proto::kTcp, 81);
const auto kUdp80 = std::make_pair(Proto::kUdp, 80);
const auto kUdp81 = std::make_pair(Proto::kUdp, 81);
const auto kSctp80 = std::make_pair(Proto::kSctp, 80);
const auto kSctp81 = std::make_pair(Proto::kSctp, 81);

k8s::LabelSelector pod_a() { return match_labels({{"pod", "a"}}); }

std::vector<k8s::NetworkPolicyPeer> cidr_peers(const std::vector<std::string>& cidrs,
                                               std::vector<std::string> except = {}) {
  std::vector<k8s::NetworkPolicyPeer> peers;
  for (const std::string& c : cidrs) {
    std::vector<std::string> same_family;
    for (const std::string& e : except) {
      if ((e.find(':') == std::string::npos) == (c.find(':') == std::string::npos)) {
        same_family.push_back(e);
      }
    }
    peers.push_back(block_peer(c, same_family));
  }
  return peers;
}

TEST_P(NetpolModel, IngressSelectors) {
  run_case("default-deny-ingress", {{.ns = "x", .name = "deny"}},
           all().expect_peer(any_pod(), in_namespace("x"), false), {kTcp80, kUdp81, kSctp80});

  run_case("default-deny-all", {{.ns = "x", .name = "deny", .types = {"Ingress", "Egress"}}},
           all()
               .expect_peer(any_pod(), in_namespace("x"), false)
               .expect_peer(in_namespace("x"), any_pod(), false),
           {kTcp80});

  run_case("allow from pods in the server namespace by podSelector",
           {{.ns = "x",
             .name = "from-b",
             .pod_selector = pod_a(),
             .ingress = {rule({pods_peer(match_labels({{"pod", "b"}}))})}}},
           all().expect_all_ingress("x/a", false).expect("x/b", "x/a", true), {kTcp80});

  run_case("allow from all namespaces",
           {{.ns = "x",
             .name = "all-ns",
             .pod_selector = pod_a(),
             .ingress = {rule({namespaces_peer(match_labels({}))})}}},
           all(), {kTcp80});

  run_case(
      "allow only from another namespace by namespaceSelector",
      {{.ns = "x",
        .name = "from-y",
        .pod_selector = pod_a(),
        .ingress = {rule({namespaces_peer(match_labels({{"ns", "y"}}))})}}},
      all().expect_all_ingress("x/a", false).expect_peer(in_namespace("y"), is_pod("x/a"), true),
      {kTcp80});

  run_case("podSelector with matchExpressions",
           {{.ns = "x",
             .name = "expr",
             .pod_selector = pod_a(),
             .ingress = {rule({pods_peer(match_expression("pod", "In", {"b"}))})}}},
           all().expect_all_ingress("x/a", false).expect("x/b", "x/a", true), {kTcp80});

  run_case(
      "namespaceSelector with matchExpressions",
      {{.ns = "x",
        .name = "expr",
        .pod_selector = pod_a(),
        .ingress = {rule({namespaces_peer(match_expression("ns", "In", {"y"}))})}}},
      all().expect_all_ingress("x/a", false).expect_peer(in_namespace("y"), is_pod("x/a"), true),
      {kTcp80});

  run_case("podSelector or namespaceSelector",
           {{.ns = "x",
             .name = "or",
             .pod_selector = pod_a(),
             .ingress = {rule({namespaces_peer(match_expression("ns", "NotIn", {"x"})),
                               pods_peer(match_labels({{"pod", "b"}}))})}}},
           all()
               .expect_all_ingress("x/a", false)
               .expect_peer(in_namespace("y"), is_pod("x/a"), true)
               .expect_peer(in_namespace("z"), is_pod("x/a"), true)
               .expect("x/b", "x/a", true),
           {kTcp80});

  run_case(
      "podSelector and namespaceSelector",
      {{.ns = "x",
        .name = "and",
        .pod_selector = pod_a(),
        .ingress = {rule({namespaces_peer(match_expression("ns", "NotIn", {"x"}),
                                          match_labels({{"pod", "b"}}))})}}},
      all().expect_all_ingress("x/a", false).expect("y/b", "x/a", true).expect("z/b", "x/a", true),
      {kTcp80});

  run_case("multiple podSelectors and namespaceSelectors",
           {{.ns = "x",
             .name = "multi",
             .pod_selector = pod_a(),
             .ingress = {rule({namespaces_peer(match_expression("ns", "NotIn", {"x"}),
                                               match_expression("pod", "In", {"b", "c"}))})}}},
           all()
               .expect_all_ingress("x/a", false)
               .expect("y/b", "x/a", true)
               .expect("y/c", "x/a", true)
               .expect("z/b", "x/a", true)
               .expect("z/c", "x/a", true),
           {kTcp80});

  run_case(
      "any of several podSelectors",
      {{.ns = "x",
        .name = "any",
        .pod_selector = pod_a(),
        .ingress = {rule(
            {pods_peer(match_labels({{"pod", "b"}})), pods_peer(match_labels({{"pod", "c"}}))})}}},
      all().expect_all_ingress("x/a", false).expect("x/b", "x/a", true).expect("x/c", "x/a", true),
      {kTcp80});

  run_case("one pod in another namespace by podSelector and namespaceSelector",
           {{.ns = "x",
             .name = "ya",
             .pod_selector = pod_a(),
             .ingress = {rule({namespaces_peer(match_labels({{"ns", "y"}}), pod_a())})}}},
           all().expect_all_ingress("x/a", false).expect("y/a", "x/a", true), {kTcp80});

  run_case(
      "namespaceSelector on the default kubernetes.io/metadata.name label",
      {{.ns = "x",
        .name = "meta",
        .pod_selector = pod_a(),
        .ingress = {rule(
            {namespaces_peer(match_labels({{"kubernetes.io/metadata.name", "y"}}))})}}},
      all().expect_all_ingress("x/a", false).expect_peer(in_namespace("y"), is_pod("x/a"), true),
      {kTcp80});

  run_case("deny ingress from pods in other namespaces",
           {{.ns = "x", .name = "same-ns", .ingress = {rule({pods_peer(match_labels({}))})}}},
           all()
               .expect_peer(in_namespace("y"), in_namespace("x"), false)
               .expect_peer(in_namespace("z"), in_namespace("x"), false),
           {kTcp80});

  run_case("ingress allow-all takes precedence",
           {{.ns = "x",
             .name = "narrow",
             .pod_selector = pod_a(),
             .ingress = {rule({pods_peer(match_labels({{"pod", "b"}}))}, {port(80)})}},
            {.ns = "x", .name = "allow-all", .ingress = {rule({})}}},
           all(), {kTcp80, kTcp81});
}

TEST_P(NetpolModel, PortsAndProtocols) {
  run_case(
      "ingress on one port from a namespace",
      {{.ns = "x",
        .name = "p81",
        .pod_selector = pod_a(),
        .ingress = {rule({namespaces_peer(match_labels({{"ns", "y"}}))}, {port(81)})}}},
      all().expect_all_ingress("x/a", false).expect_peer(in_namespace("y"), is_pod("x/a"), true),
      {kTcp81});
  EXPECT_EQ(env_->check(all().expect_all_ingress("x/a", false), Proto::kTcp, 80), "");

  run_case(
      "stacked policies on overlapping pods",
      {{.ns = "x",
        .name = "p81",
        .pod_selector = pod_a(),
        .ingress = {rule({namespaces_peer(match_labels({{"ns", "y"}}))}, {port(81)})}},
       {.ns = "x",
        .name = "p80",
        .pod_selector = pod_a(),
        .ingress = {rule({namespaces_peer(match_labels({{"ns", "y"}}))}, {port(80)})}}},
      all().expect_all_ingress("x/a", false).expect_peer(in_namespace("y"), is_pod("x/a"), true),
      {kTcp80, kTcp81});

  run_case("ingress on one named port",
           {{.ns = "x",
             .name = "named",
             .pod_selector = pod_a(),
             .ingress = {rule({}, {named("serve-81-tcp")})}}},
           all(), {kTcp81});
  EXPECT_EQ(env_->check(all().expect_all_ingress("x/a", false), Proto::kTcp, 80), "");

  run_case(
      "ingress from a namespace on one named port",
      {{.ns = "x",
        .name = "named-ns",
        .pod_selector = pod_a(),
        .ingress = {rule({namespaces_peer(match_labels({{"ns", "y"}}))},
                         {named("serve-80-tcp")})}}},
      all().expect_all_ingress("x/a", false).expect_peer(in_namespace("y"), is_pod("x/a"), true),
      {kTcp80});
  EXPECT_EQ(env_->check(all().expect_all_ingress("x/a", false), Proto::kTcp, 81), "");

  run_case("ingress port range with endPort",
           {{.ns = "x",
             .name = "range",
             .pod_selector = pod_a(),
             .ingress = {rule({}, {port(81, "TCP", 82)})}}},
           all(), {kTcp81});
  EXPECT_EQ(env_->check(all().expect_all_ingress("x/a", false), Proto::kTcp, 80), "");

  run_case("any port of one protocol",
           {{.ns = "x",
             .name = "udp",
             .pod_selector = pod_a(),
             .ingress = {rule({}, {protocol_only("UDP")})}}},
           all(), {kUdp80, kUdp81});
  EXPECT_EQ(env_->check(all().expect_all_ingress("x/a", false), Proto::kTcp, 80), "");

  run_case("a UDP-only policy does not allow TCP",
           {{.ns = "x",
             .name = "udp81",
             .pod_selector = pod_a(),
             .ingress = {rule({}, {port(81, "UDP")})}}},
           all(), {kUdp81});
  EXPECT_EQ(env_->check(all().expect_all_ingress("x/a", false), Proto::kTcp, 81), "");

  run_case("SCTP is not mistaken for TCP",
           {{.ns = "x",
             .name = "sctp80",
             .pod_selector = pod_a(),
             .ingress = {rule({}, {port(80, "SCTP")})}}},
           all(), {kSctp80});
  EXPECT_EQ(env_->check(all().expect_all_ingress("x/a", false), Proto::kTcp, 80), "");

  run_case("a policy allowing SCTP isolates its pods for other ports",
           {{.ns = "x",
             .name = "sctp81",
             .pod_selector = pod_a(),
             .ingress = {rule({}, {port(81, "SCTP")})}}},
           all(), {kSctp81});
  EXPECT_EQ(env_->check(all().expect_all_ingress("x/a", false), Proto::kSctp, 80), "");
}

TEST_P(NetpolModel, Egress) {
  run_case("deny egress of one pod",
           {{.ns = "x", .name = "deny", .pod_selector = pod_a(), .types = {"Egress"}}},
           all().expect_all_egress("x/a", false), {kTcp80, kUdp80});

  run_case("deny egress of a whole namespace", {{.ns = "x", .name = "deny", .types = {"Egress"}}},
           all().expect_peer(in_namespace("x"), any_pod(), false), {kTcp80});

  run_case("egress allow-all takes precedence",
           {{.ns = "x",
             .name = "narrow",
             .pod_selector = pod_a(),
             .types = {"Egress"},
             .egress = {rule({pods_peer(match_labels({{"pod", "b"}}))})}},
            {.ns = "x",
             .name = "allow-all",
             .pod_selector = pod_a(),
             .types = {"Egress"},
             .egress = {rule({})}}},
           all(), {kTcp80});

  run_case("egress to one pod in another namespace",
           {{.ns = "x",
             .name = "to-ya",
             .pod_selector = pod_a(),
             .types = {"Egress"},
             .egress = {rule({namespaces_peer(match_labels({{"ns", "y"}}), pod_a())})}}},
           all().expect_all_egress("x/a", false).expect("x/a", "y/a", true), {kTcp80});

  run_case("egress on one named port",
           {{.ns = "x",
             .name = "named",
             .pod_selector = pod_a(),
             .types = {"Egress"},
             .egress = {rule({}, {named("serve-80-udp", "UDP")})}}},
           all(), {kUdp80});
  EXPECT_EQ(env_->check(all().expect_all_egress("x/a", false), Proto::kUdp, 81), "");

  run_case("the client side can deny what the server allows",
           {{.ns = "x", .name = "deny", .pod_selector = pod_a(), .types = {"Egress"}},
            {.ns = "y",
             .name = "allow",
             .pod_selector = match_labels({{"pod", "b"}}),
             .ingress = {rule({namespaces_peer(match_labels({{"ns", "x"}}), pod_a())})}}},
           all().expect_all_egress("x/a", false).expect_all_ingress("y/b", false), {kTcp80});

  run_case("ingress and egress in one policy",
           {{.ns = "x",
             .name = "both",
             .pod_selector = pod_a(),
             .types = {"Ingress", "Egress"},
             .ingress = {rule({pods_peer(match_labels({{"pod", "b"}}))})},
             .egress = {rule(
                 {namespaces_peer(match_labels({{"ns", "y"}}), match_labels({{"pod", "b"}}))})}}},
           all()
               .expect_all_ingress("x/a", false)
               .expect_all_egress("x/a", false)
               .expect("x/b", "x/a", true)
               .expect("x/a", "y/b", true),
           {kTcp80});

  run_case("egress port range with endPort",
           {{.ns = "x",
             .name = "range",
             .pod_selector = pod_a(),
             .types = {"Egress"},
             .egress = {rule({}, {port(80, "TCP", 81)})}}},
           all(), {kTcp80, kTcp81});
  EXPECT_EQ(env_->check(all().expect_all_egress("x/a", false), Proto::kUdp, 80), "");

  run_case("ingress and egress of one pod controlled independently",
           {{.ns = "x",
             .name = "egress",
             .pod_selector = pod_a(),
             .types = {"Egress"},
             .egress = {rule({pods_peer(match_labels({{"pod", "c"}}))})}},
            {.ns = "x",
             .name = "ingress",
             .pod_selector = pod_a(),
             .ingress = {rule({pods_peer(match_labels({{"pod", "b"}}))})}}},
           all()
               .expect_all_egress("x/a", false)
               .expect("x/a", "x/c", true)
               .expect_all_ingress("x/a", false)
               .expect("x/b", "x/a", true),
           {kTcp80});
}

TEST_P(NetpolModel, IpBlocks) {
  run_case("egress to a server's address block",
           {{.ns = "x",
             .name = "cidr",
             .pod_selector = pod_a(),
             .types = {"Egress"},
             .egress = {rule({cidr_peers(env_->pod_cidrs("y/b"))})}}},
           all().expect_all_egress("x/a", false).expect("x/a", "y/b", true), {kTcp80});

  run_case("egress block with an except",
           {{.ns = "x",
             .name = "except",
             .pod_selector = pod_a(),
             .types = {"Egress"},
             .egress = {rule(
                 {cidr_peers({"10.244.1.0/24", "fd00:244:1::/64"}, env_->pod_cidrs("y/b"))})}}},
           all()
               .expect_all_egress("x/a", false)
               .expect_peer(is_pod("x/a"), in_namespace("x"), true)
               .expect_peer(is_pod("x/a"), in_namespace("y"), true)
               .expect("x/a", "y/b", false),
           {kTcp80});

  run_case("an address in one policy's except and another's block is allowed",
           {{.ns = "x",
             .name = "except",
             .pod_selector = pod_a(),
             .types = {"Egress"},
             .egress = {rule(
                 {cidr_peers({"10.244.1.0/24", "fd00:244:1::/64"}, env_->pod_cidrs("y/b"))})}},
            {.ns = "x",
             .name = "exact",
             .pod_selector = pod_a(),
             .types = {"Egress"},
             .egress = {rule({cidr_peers(env_->pod_cidrs("y/b"))})}}},
           all()
               .expect_all_egress("x/a", false)
               .expect_peer(is_pod("x/a"), in_namespace("x"), true)
               .expect_peer(is_pod("x/a"), in_namespace("y"), true),
           {kTcp80});

  run_case("ingress from everywhere except one pod",
           {{.ns = "x",
             .name = "world",
             .pod_selector = pod_a(),
             .ingress = {rule({cidr_peers({"0.0.0.0/0", "::/0"}, env_->pod_cidrs("z/a"))})}}},
           all().expect("z/a", "x/a", false), {kTcp80, kUdp80});
}

TEST_P(NetpolModel, Updates) {
  run_case("policy before update",
           {{.ns = "x",
             .name = "upd",
             .pod_selector = pod_a(),
             .ingress = {rule({pods_peer(match_labels({{"pod", "b"}}))}, {port(80)})}}},
           all().expect_all_ingress("x/a", false).expect("x/b", "x/a", true), {kTcp80});
  run_case("policy after its port changed",
           {{.ns = "x",
             .name = "upd",
             .pod_selector = pod_a(),
             .ingress = {rule({pods_peer(match_labels({{"pod", "b"}}))}, {port(81)})}}},
           all().expect_all_ingress("x/a", false).expect("x/b", "x/a", true), {kTcp81});
  EXPECT_EQ(env_->check(all().expect_all_ingress("x/a", false), Proto::kTcp, 80), "");

  run_case("before a namespace gets the label",
           {{.ns = "x",
             .name = "ns-label",
             .pod_selector = pod_a(),
             .ingress = {rule({namespaces_peer(match_labels({{"team", "blue"}}))})}}},
           all().expect_all_ingress("x/a", false), {kTcp80});
  env_->label_namespace("y", {{"team", "blue"}});
  EXPECT_EQ(env_->check(all()
                            .expect_all_ingress("x/a", false)
                            .expect_peer(in_namespace("y"), is_pod("x/a"), true),
                        Proto::kTcp, 80),
            "")
      << "after labelling namespace y";
  env_->label_namespace("y", {});

  run_case("before a pod gets the label",
           {{.ns = "x",
             .name = "pod-label",
             .pod_selector = pod_a(),
             .ingress = {rule({pods_peer(match_labels({{"role", "client"}}))})}}},
           all().expect_all_ingress("x/a", false), {kTcp80});
  env_->label_pod("x/b", {{"role", "client"}});
  EXPECT_EQ(env_->check(all().expect_all_ingress("x/a", false).expect("x/b", "x/a", true),
                        Proto::kTcp, 80),
            "")
      << "after labelling x/b";
  env_->label_pod("x/b", {});

  run_case("before the target pod gets selected",
           {{.ns = "x", .name = "target", .pod_selector = match_labels({{"target", "yes"}})}},
           all(), {kTcp80});
  env_->label_pod("x/a", {{"target", "yes"}});
  EXPECT_EQ(env_->check(all().expect_all_ingress("x/a", false), Proto::kTcp, 80), "")
      << "after selecting x/a";
  env_->label_pod("x/a", {});
  EXPECT_EQ(env_->check(all(), Proto::kTcp, 80), "") << "after unselecting x/a";

  run_case("deny-all", {{.ns = "x", .name = "deny"}},
           all().expect_peer(any_pod(), in_namespace("x"), false), {kTcp80});
  run_case("after the policy is deleted", {}, all(), {kTcp80, kUdp80, kSctp80});
}

INSTANTIATE_TEST_SUITE_P(Backends, NetpolModel,
                         ::testing::Values(IptablesBackend::kLegacy, IptablesBackend::kNft),
                         [](const auto& info) { return std::string(backend_name(info.param)); });

}  // namespace
}  // namespace kr::netpol::testing
