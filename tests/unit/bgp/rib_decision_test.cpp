// The decision process (bgp-wire.md §8) one step at a time, receive-side
// checks (§7.1) and the best-path change stream (routing.md §8).
#include "kube_router_policy.h"
#include "rib_fixture.h"

namespace kr::bgp {
namespace {

using test::ip;
using test::p4;
using test::p6;
using test::rid;

const Prefix4 kDst = *Prefix4::parse("10.244.9.0/24");

class RibDecision : public test::RibFixture {
 protected:
  // Two iBGP peers; `low` has the lower router ID and address, so every step
  // that must prefer `high` proves that step decided.
  void SetUp() override {
    low = peer_up("10.0.0.2", kLocalAs);
    high = peer_up("10.0.0.3", kLocalAs);
  }
  rib::PeerId winner() {
    const std::optional<rib::PathEntry> best = rib.best(kDst);
    EXPECT_NE(best, std::nullopt);
    return best ? best->peer : rib::kLocalPeer;
  }
  void send(rib::PeerId from, const AttrSetPtr& a) {
    rib.receive(from, announce(a, {kDst}), changes);
  }
  static AttrSetPtr with(const AttrSetPtr& base, auto edit) {
    auto a = std::make_shared<PathAttributes>(*base);
    edit(*a);
    return a;
  }
  rib::PeerId low = 0;
  rib::PeerId high = 0;
  AttrSetPtr base = attrs({65000}, "10.0.0.9", 100);
};

TEST_F(RibDecision, LowerRouterIdWinsAnOtherwiseEqualPath) {
  send(high, base);
  send(low, base);
  EXPECT_EQ(winner(), low);
}

TEST_F(RibDecision, HighestLocalPrefWins) {
  send(low, base);
  send(high, with(base, [](PathAttributes& a) { a.local_pref = 200; }));
  EXPECT_EQ(winner(), high);
}

TEST_F(RibDecision, LocallyOriginatedBeatsLearned) {
  send(low, base);
  rib.originate(kDst, attrs({}, "10.0.1.10"), changes);
  EXPECT_EQ(winner(), rib::kLocalPeer);
}

TEST_F(RibDecision, ShorterAsPathWinsAndSetCountsOne) {
  send(low, with(base, [](PathAttributes& a) { a.as_path->prepend(65000, 2); }));
  send(high, with(base, [](PathAttributes& a) {
         a.as_path->segments.push_back({SegmentType::kSet, {1, 2, 3, 4}});
       }));
  EXPECT_EQ(winner(), high);  // length 2 against 3
}

TEST_F(RibDecision, LowestOriginWins) {
  send(low, with(base, [](PathAttributes& a) { a.origin = Origin::kIncomplete; }));
  send(high, with(base, [](PathAttributes& a) { a.origin = Origin::kEgp; }));
  EXPECT_EQ(winner(), high);
}

TEST_F(RibDecision, MedComparedOnlyWithinTheSameNeighbourAs) {
  send(low, with(base, [](PathAttributes& a) { a.med = 20; }));
  send(high, with(base, [](PathAttributes& a) { a.med = 10; }));
  EXPECT_EQ(winner(), high);
  // From a different neighbouring AS the MED is ignored: router ID decides.
  send(high, with(base, [](PathAttributes& a) {
         a.med = 10;
         a.as_path = AsPath{{{SegmentType::kSequence, {65001}}}};
       }));
  EXPECT_EQ(winner(), low);
}

TEST_F(RibDecision, ExternalBeatsInternal) {
  const rib::PeerId ext = peer_up("10.0.0.200", 65000);
  send(low, base);
  send(ext, base);
  EXPECT_EQ(winner(), ext);
}

TEST_F(RibDecision, OriginatorIdStandsInForRouterId) {
  send(low, with(base, [](PathAttributes& a) { a.originator_id = rid("10.0.0.250"); }));
  send(high, base);
  EXPECT_EQ(winner(), high);
}

TEST_F(RibDecision, OlderPathWinsBeforeNeighborAddressDecides) {
  const rib::PeerId twin_b = peer_up("10.0.0.5", kLocalAs, false, "10.9.9.9");
  const rib::PeerId twin_a = peer_up("10.0.0.4", kLocalAs, false, "10.9.9.9");
  send(twin_b, base);
  send(twin_a, base);
  EXPECT_EQ(winner(), twin_b);  // same router ID: the older path
}

TEST_F(RibDecision, BestPathChangesReportPreviousPathOnWithdrawal) {
  send(low, base);
  ASSERT_EQ(changes.best4.size(), 1u);
  EXPECT_EQ(changes.best4[0].best_peer, low);
  EXPECT_EQ(changes.best4[0].previous, nullptr);
  changes.clear();
  rib.receive(low, withdraw({kDst}), changes);
  ASSERT_EQ(changes.best4.size(), 1u);
  const auto& c = changes.best4[0];
  EXPECT_EQ(c.best, nullptr);
  ASSERT_NE(c.previous, nullptr);
  EXPECT_EQ(c.previous->next_hop, ip("10.0.0.9"));  // for kernel route cleanup
  EXPECT_EQ(c.previous_peer, low);
  EXPECT_EQ(rib.prefix_count(kIpv4Unicast), 0u);
}

TEST_F(RibDecision, OwnAsOrOwnOriginatorIdIsDropped) {
  send(low, base);
  send(low, with(base, [](PathAttributes& a) { a.as_path->prepend(kLocalAs); }));
  EXPECT_EQ(rib.best(kDst), std::nullopt);  // the looped path replaced the old one
  send(high, with(base, [](PathAttributes& a) { a.originator_id = rid("10.0.1.10"); }));
  EXPECT_EQ(rib.best(kDst), std::nullopt);
}

TEST_F(RibDecision, TreatAsWithdrawRemovesThePeersPath) {
  send(low, base);
  UpdateMessage u = announce(base, {kDst});
  u.error_action = ErrorAction::kTreatAsWithdraw;
  rib.receive(low, u, changes);
  EXPECT_EQ(rib.best(kDst), std::nullopt);
}

TEST_F(RibDecision, Ipv6PathTakesNextHopFromMpReach) {
  UpdateMessage u;
  auto a = std::make_shared<PathAttributes>();
  a->origin = Origin::kIgp;
  a->as_path = AsPath{};
  a->local_pref = 100;
  u.attrs = a;
  u.mp_reach =
      MpReach{kIpv6Unicast, true, ip("2001:db8:1::10"), std::nullopt, {}, {p6("2001:db8:42::/64")}};
  rib.receive(low, u, changes);
  const std::optional<rib::PathEntry> best = rib.best(p6("2001:db8:42::/64"));
  ASSERT_NE(best, std::nullopt);
  EXPECT_EQ(best->attrs->next_hop, ip("2001:db8:1::10"));
  ASSERT_EQ(changes.best6.size(), 1u);
}

TEST_F(RibDecision, FamiliesNotNegotiatedAreIgnored) {
  rib::PeerInfo info;
  info.address = ip("10.0.0.8");
  info.asn = kLocalAs;
  info.router_id = rid("10.0.0.8");
  info.families = {kIpv6Unicast};
  const rib::PeerId v6_only = rib.add_peer(info);
  rib.peer_up(v6_only, info, changes);
  send(v6_only, base);
  EXPECT_EQ(rib.best(kDst), std::nullopt);
}

TEST_F(RibDecision, ImportRejectedPathsComeBackWhenPolicyAllows) {
  test::KubeRouterPolicyInput in;
  in.node_ips = {"10.0.0.2", "10.0.0.3"};
  rib.set_policy(test::build_policy(test::kube_router_policy(in)), changes);
  rib.receive(low, announce(base, {p4("0.0.0.0/0")}), changes);
  EXPECT_EQ(rib.best(p4("0.0.0.0/0")), std::nullopt);  // I2
  EXPECT_EQ(rib.paths(p4("0.0.0.0/0")).size(), 1u);    // kept, not eligible
  changes.clear();
  rib.set_policy(policy::RoutingPolicy::accept_all(), changes);
  ASSERT_NE(rib.best(p4("0.0.0.0/0")), std::nullopt);
  EXPECT_EQ(changes.best4.size(), 1u);
}

}  // namespace
}  // namespace kr::bgp
