// Policy engine: defined sets, statement evaluation order, actions, and the
// kube-router export/import semantics of routing.md §7.1.
#include <gtest/gtest.h>

#include "kube_router_policy.h"

namespace kr::bgp::policy {
namespace {

IpPrefix pfx(const char* s) { return *IpPrefix::parse(s); }
IpAddress ip(const char* s) { return *IpAddress::parse(s); }

RouteView route(const char* prefix, const char* neighbor,
                RouteSource source = RouteSource::kLocal) {
  return RouteView{pfx(prefix), ip(neighbor), source, nullptr};
}

TEST(PrefixSet, ExactAndMaskLengthRanges) {
  PrefixSet s("s");
  s.add(pfx("10.96.0.50/32"));
  ASSERT_TRUE(s.add(pfx("192.168.0.0/16"), 16, 32));
  ASSERT_TRUE(s.add(pfx("2001:db8::/32"), 48, 64));
  EXPECT_TRUE(s.matches(pfx("10.96.0.50/32")));
  EXPECT_FALSE(s.matches(pfx("10.96.0.51/32")));
  EXPECT_FALSE(s.matches(pfx("10.96.0.0/24")));
  EXPECT_TRUE(s.matches(pfx("192.168.0.0/16")));
  EXPECT_TRUE(s.matches(pfx("192.168.7.128/25")));
  EXPECT_FALSE(s.matches(pfx("192.169.0.0/24")));
  EXPECT_FALSE(s.matches(pfx("192.0.0.0/8")));
  EXPECT_TRUE(s.matches(pfx("2001:db8:1::/48")));
  EXPECT_FALSE(s.matches(pfx("2001:db8::/32")));  // shorter than ge 48
  EXPECT_FALSE(s.matches(pfx("2001:db8::/96")));  // longer than le 64
  EXPECT_FALSE(s.matches(pfx("::ffff:10.96.0.50/128")));
}

TEST(PrefixSet, InvalidRangesAreRefused) {
  PrefixSet s("s");
  EXPECT_FALSE(s.add(pfx("10.0.0.0/16"), 8, 24));   // ge below the prefix length
  EXPECT_FALSE(s.add(pfx("10.0.0.0/16"), 24, 20));  // ge > le
  EXPECT_FALSE(s.add(pfx("10.0.0.0/16"), 16, 33));  // beyond /32
  EXPECT_TRUE(s.empty());
}

TEST(NeighborSet, MatchesAddressesAndPrefixesEmptyMatchesNothing) {
  NeighborSet s("n");
  EXPECT_FALSE(s.matches(ip("10.0.1.1")));
  s.add(ip("10.0.1.1"));
  s.add(pfx("fd00::/64"));
  EXPECT_TRUE(s.matches(ip("10.0.1.1")));
  EXPECT_FALSE(s.matches(ip("10.0.1.2")));
  EXPECT_TRUE(s.matches(ip("fd00::7")));
}

TEST(RoutingPolicy, KubeRouterExportSemantics) {
  test::KubeRouterPolicyInput in;
  in.communities = {kCommunityNoExport};
  in.prepend_as = 65100;
  in.prepend_count = 2;
  auto p = test::build_policy(test::kube_router_policy(in));
  // E1: own pod CIDR to node peers, no actions.
  Decision d = p->evaluate(Direction::kExport, route("10.244.0.0/24", "10.0.1.11"));
  EXPECT_TRUE(d.accept);
  EXPECT_EQ(d.applied, 0u);
  // E2: VIP to the external peer with actions; never to node peers.
  d = p->evaluate(Direction::kExport, route("10.96.0.50/32", "10.0.1.1"));
  EXPECT_TRUE(d.accept);
  EXPECT_NE(d.applied, 0u);
  EXPECT_FALSE(p->evaluate(Direction::kExport, route("10.96.0.50/32", "10.0.1.11")).accept);
  // E3: pod CIDR to the external peer.
  EXPECT_TRUE(p->evaluate(Direction::kExport, route("10.244.0.0/24", "10.0.1.1")).accept);
  // Anything else (another node's pod CIDR learned over iBGP) is not exported.
  EXPECT_FALSE(
      p->evaluate(Direction::kExport, route("10.244.1.0/24", "10.0.1.1", RouteSource::kInternal))
          .accept);
  EXPECT_FALSE(p->evaluate(Direction::kExport, route("10.244.1.0/24", "10.0.2.10")).accept);
}

TEST(RoutingPolicy, AdvertisePodCidrOffKeepsPodsFromExternalPeers) {
  test::KubeRouterPolicyInput in;
  in.advertise_pod_cidr = false;
  auto p = test::build_policy(test::kube_router_policy(in));
  EXPECT_FALSE(p->evaluate(Direction::kExport, route("10.244.0.0/24", "10.0.1.1")).accept);
  EXPECT_TRUE(p->evaluate(Direction::kExport, route("10.244.0.0/24", "10.0.1.10")).accept);
}

TEST(RoutingPolicy, KubeRouterImportSemantics) {
  auto p = test::build_policy(test::kube_router_policy({}));
  auto from_router = [&](const char* prefix) {
    return p->evaluate(Direction::kImport, route(prefix, "10.0.1.1", RouteSource::kExternal))
        .accept;
  };
  EXPECT_TRUE(from_router("10.244.1.0/24"));
  EXPECT_FALSE(from_router("0.0.0.0/0"));        // I2
  EXPECT_TRUE(from_router("0.0.0.0/1"));         // only exactly the default
  EXPECT_FALSE(from_router("10.96.0.50/32"));    // I1: our own VIP
  EXPECT_FALSE(from_router("192.168.0.0/16"));   // I3
  EXPECT_FALSE(from_router("192.168.44.0/24"));  // I3, more specific
  EXPECT_TRUE(from_router("192.169.0.0/16"));
  // A peer outside allpeerset is not subject to the reject statements.
  EXPECT_TRUE(p->evaluate(Direction::kImport, route("0.0.0.0/0", "10.9.9.9")).accept);
}

TEST(RoutingPolicy, StatementsWithoutDispositionApplyAndContinue) {
  PolicyConfig cfg;
  Actions tag;
  tag.community_op = CommunityOp::kAdd;
  tag.communities = {0x00010001};
  Actions accept;
  accept.disposition = Disposition::kAccept;
  accept.community_op = CommunityOp::kAdd;
  accept.communities = {0x00020002};
  Actions never;
  never.disposition = Disposition::kReject;
  cfg.policies = {{"p", {{"tag", {}, tag}, {"accept", {}, accept}, {"never", {}, never}}}};
  cfg.export_policies = {"p"};
  cfg.export_default_accept = false;
  auto p = test::build_policy(cfg);
  Decision d = p->evaluate(Direction::kExport, route("10.0.0.0/8", "10.0.0.1"));
  ASSERT_TRUE(d.accept);
  auto in = std::make_shared<const PathAttributes>();
  AttrSetPtr out = p->apply(Direction::kExport, d.applied, in, {});
  EXPECT_EQ(out->communities, (std::vector<uint32_t>{0x00010001, 0x00020002}));
}

TEST(RoutingPolicy, InvertMatchAndRouteSource) {
  PolicyConfig cfg;
  PrefixSet s("s");
  s.add(pfx("10.0.0.0/8"), 8, 32);
  cfg.prefix_sets = {s};
  Actions reject;
  reject.disposition = Disposition::kReject;
  Conditions c;
  c.prefix_set = "s";
  c.prefix_option = MatchOption::kInvert;
  c.source = RouteSource::kExternal;
  cfg.policies = {{"p", {{"outside-10-from-ebgp", c, reject}}}};
  cfg.import_policies = {"p"};
  auto p = test::build_policy(cfg);
  EXPECT_FALSE(
      p->evaluate(Direction::kImport, route("172.16.0.0/12", "1.1.1.1", RouteSource::kExternal))
          .accept);
  EXPECT_TRUE(
      p->evaluate(Direction::kImport, route("10.1.0.0/16", "1.1.1.1", RouteSource::kExternal))
          .accept);
  EXPECT_TRUE(
      p->evaluate(Direction::kImport, route("172.16.0.0/12", "1.1.1.1", RouteSource::kInternal))
          .accept);
}

TEST(RoutingPolicy, BuildErrorsNameTheCulprit) {
  PolicyConfig cfg;
  cfg.policies = {{"p", {test::statement("st", "missing", "", {})}}};
  cfg.export_policies = {"p"};
  auto r = RoutingPolicy::build(cfg);
  ASSERT_TRUE(std::holds_alternative<std::string>(r));
  EXPECT_EQ(std::get<std::string>(r),
            "statement \"st\" of policy \"p\": unknown prefix set \"missing\"");
  PolicyConfig unknown;
  unknown.import_policies = {"nope"};
  EXPECT_EQ(std::get<std::string>(RoutingPolicy::build(unknown)), "unknown policy \"nope\"");
  PolicyConfig dup;
  dup.prefix_sets = {PrefixSet("a"), PrefixSet("a")};
  EXPECT_EQ(std::get<std::string>(RoutingPolicy::build(dup)), "duplicate prefix set \"a\"");
}

TEST(Actions, CommunityPrependAndNextHop) {
  PathAttributes a;
  a.communities = {1, 2};
  a.as_path = AsPath{{{SegmentType::kSequence, {64512}}}};
  a.next_hop = ip("10.0.1.10");
  Actions add;
  add.community_op = CommunityOp::kAdd;
  add.communities = {2, 3};
  add.prepend_asn = 65100;
  add.prepend_count = 3;
  add.next_hop_self = true;
  PathAttributes x = a;
  apply_actions(add, {ip("10.0.1.99")}, x);
  EXPECT_EQ(x.communities, (std::vector<uint32_t>{1, 2, 3}));
  EXPECT_EQ(x.as_path->to_string(), "65100 65100 65100 64512");
  EXPECT_EQ(x.next_hop, ip("10.0.1.99"));
  Actions replace;
  replace.community_op = CommunityOp::kReplace;
  replace.communities = {7};
  replace.next_hop = ip("10.0.0.5");
  x = a;
  apply_actions(replace, {}, x);
  EXPECT_EQ(x.communities, std::vector<uint32_t>{7});
  EXPECT_EQ(x.next_hop, ip("10.0.0.5"));
  Actions remove;
  remove.community_op = CommunityOp::kRemove;
  remove.communities = {1};
  x = a;
  apply_actions(remove, {}, x);
  EXPECT_EQ(x.communities, std::vector<uint32_t>{2});
}

TEST(RoutingPolicy, ApplyReturnsTheSameSetWhenNothingChanges) {
  PolicyConfig cfg;
  Actions add;
  add.disposition = Disposition::kAccept;
  add.community_op = CommunityOp::kAdd;
  add.communities = {5};
  cfg.policies = {{"p", {{"s", {}, add}}}};
  cfg.export_policies = {"p"};
  auto p = test::build_policy(cfg);
  auto already = std::make_shared<PathAttributes>();
  already->communities = {5};
  AttrSetPtr in = already;
  const Decision d = p->evaluate(Direction::kExport, route("10.0.0.0/8", "10.0.0.1"));
  EXPECT_EQ(p->apply(Direction::kExport, d.applied, in, {}), in);
}

}  // namespace
}  // namespace kr::bgp::policy
