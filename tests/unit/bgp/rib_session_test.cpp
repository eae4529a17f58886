// Session events: graceful-restart stale handling (bgp-wire.md §10), peer
// loss, deferred export, ROUTE-REFRESH answers, and attribute sharing at
// scale.
#include "rib_fixture.h"

namespace kr::bgp {
namespace {

using test::ip;
using test::p4;

class RibSession : public test::RibFixture {};

TEST_F(RibSession, GracefulRestartKeepsStaleRoutesUntilEndOfRib) {
  const rib::PeerId node_b = peer_up("10.0.1.11", kLocalAs);
  const AttrSetPtr a = attrs({}, "10.0.1.11", 100);
  rib.receive(node_b, announce(a, {p4("10.244.1.0/24"), p4("10.244.7.0/24")}), changes);
  changes.clear();
  // TCP drop or hold timer expiry with GR negotiated for IPv4.
  rib.peer_down(node_b, {kIpv4Unicast}, changes);
  EXPECT_TRUE(changes.best4.empty());
  EXPECT_TRUE(rib.best(p4("10.244.1.0/24"))->stale);
  // Re-established: only 10.244.1.0/24 is announced again, then End-of-RIB.
  rib::PeerInfo info = *rib.peer(node_b);
  rib.peer_up(node_b, info, changes);
  rib.receive(node_b, announce(a, {p4("10.244.1.0/24")}), changes);
  EXPECT_FALSE(rib.best(p4("10.244.1.0/24"))->stale);
  changes.clear();
  rib.sweep_stale(node_b, kIpv4Unicast, changes);
  EXPECT_NE(rib.best(p4("10.244.1.0/24")), std::nullopt);
  EXPECT_EQ(rib.best(p4("10.244.7.0/24")), std::nullopt);
  ASSERT_EQ(changes.best4.size(), 1u);
  EXPECT_EQ(changes.best4[0].prefix, p4("10.244.7.0/24"));
}

TEST_F(RibSession, SessionLossWithoutGracefulRestartWithdrawsEverything) {
  const rib::PeerId node_b = peer_up("10.0.1.11", kLocalAs);
  const rib::PeerId router = peer_up("10.0.1.1", 65000);
  rib.receive(node_b, announce(attrs({}, "10.0.1.11", 100), {p4("10.244.1.0/24")}), changes);
  ASSERT_TRUE(sent(router, p4("10.244.1.0/24")).value_or(nullptr));
  changes.clear();
  rib.peer_down(node_b, {}, changes);
  EXPECT_EQ(rib.best(p4("10.244.1.0/24")), std::nullopt);
  ASSERT_EQ(changes.best4.size(), 1u);
  EXPECT_EQ(changes.best4[0].best, nullptr);
  auto out = sent(router, p4("10.244.1.0/24"));
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(*out, nullptr);
  EXPECT_FALSE(changes.out.contains(node_b));  // nothing queued toward a down peer
}

TEST_F(RibSession, DeferredExportStartsWhenAsked) {
  rib.originate(p4("10.244.0.0/24"), attrs({}, "10.0.1.10"), changes);
  rib::PeerInfo info;
  info.address = ip("10.0.1.11");
  info.asn = kLocalAs;
  info.router_id = test::rid("10.0.1.11");
  info.families = {kIpv4Unicast};
  const rib::PeerId node_b = rib.add_peer(info);
  changes.clear();
  rib.peer_up(node_b, info, changes, /*defer_export=*/true);
  EXPECT_TRUE(changes.out.empty());
  rib.start_export(node_b, changes);
  EXPECT_TRUE(sent(node_b, p4("10.244.0.0/24")).value_or(nullptr));
}

TEST_F(RibSession, RouteRefreshReturnsTheAdjRibOut) {
  const rib::PeerId node_b = peer_up("10.0.1.11", kLocalAs);
  rib.originate(p4("10.244.0.0/24"), attrs({}, "10.0.1.10"), changes);
  rib.originate(*Prefix6::parse("2001:db8:42::/64"), attrs({}, "2001:db8:1::10"), changes);
  rib::PeerOutput v4;
  rib.adj_rib_out(node_b, kIpv4Unicast, v4);
  EXPECT_EQ(v4.v4.size(), 1u);
  EXPECT_TRUE(v4.v6.empty());
  rib::PeerOutput v6;
  rib.adj_rib_out(node_b, kIpv6Unicast, v6);
  EXPECT_EQ(v6.v6.size(), 1u);
}

TEST_F(RibSession, RemovedPeerSlotIsReusedCleanly) {
  const rib::PeerId node_b = peer_up("10.0.1.11", kLocalAs);
  rib.receive(node_b, announce(attrs({}, "10.0.1.11", 100), {p4("10.244.1.0/24")}), changes);
  rib.remove_peer(node_b, changes);
  EXPECT_EQ(rib.peer(node_b), nullptr);
  EXPECT_EQ(rib.best(p4("10.244.1.0/24")), std::nullopt);
  const rib::PeerId node_c = peer_up("10.0.2.10", kLocalAs);
  EXPECT_EQ(node_c, node_b);
  EXPECT_EQ(rib.peer(node_c)->address, ip("10.0.2.10"));
}

TEST_F(RibSession, HundredThousandRoutesShareOneAttributeSet) {
  const rib::PeerId router = peer_up("10.0.1.1", 65000);
  const rib::PeerId node_b = peer_up("10.0.1.11", kLocalAs);
  changes.clear();
  // As a session delivers them: many UPDATEs, each decoded into its own set.
  for (uint32_t batch = 0; batch < 100; ++batch) {
    UpdateMessage u = announce(attrs({65000}, "10.0.1.1"), {});
    for (uint32_t i = 0; i < 1000; ++i) {
      const uint32_t n = batch * 1000 + i;
      uint8_t addr[4] = {100, static_cast<uint8_t>(n >> 16), static_cast<uint8_t>(n >> 8),
                         static_cast<uint8_t>(n)};
      u.nlri.push_back(Prefix4::make(addr, 32));
    }
    rib.receive(router, u, changes);
  }
  EXPECT_EQ(rib.prefix_count(kIpv4Unicast), 100000u);
  EXPECT_EQ(changes.best4.size(), 100000u);
  ASSERT_EQ(changes.out[node_b].v4.size(), 100000u);
  // One received set, one rewritten for node-b (LOCAL_PREF added).
  EXPECT_LE(rib.interned_attribute_sets(), 3u);
  const AttrSetPtr& first = changes.out[node_b].v4.begin()->second;
  for (const auto& [prefix, a] : changes.out[node_b].v4) ASSERT_EQ(a.get(), first.get());
}

}  // namespace
}  // namespace kr::bgp
