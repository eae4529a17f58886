// The session FSM against a scripted transport and clock: states, timers,
// OPEN checks, collisions and the NOTIFICATIONs a peer would see.
#include "bgp/session/fsm.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "fake_fsm_io.h"

namespace kr::bgp::session {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using test::FakeFsmIo;
using test::RecordingListener;
using ::testing::ElementsAre;

IpAddress ip(const char* text) { return IpAddress::parse(text).value(); }
uint32_t id_of(const char* text) { return ip(text).v4_u32(); }

SessionConfig base_config() {
  SessionConfig c;
  c.peer_address = ip("10.0.0.2");
  c.local_as = 64512;
  c.peer_as = 65000;
  c.router_id = id_of("10.0.0.1");
  return c;
}

OpenMessage peer_open(uint32_t asn = 65000, const char* id = "10.0.0.2", uint16_t hold = 90) {
  OpenMessage o;
  o.set_asn(asn);
  o.hold_time = hold;
  o.bgp_id = id_of(id);
  o.capabilities.route_refresh = true;
  o.capabilities.multiprotocol = {kIpv4Unicast};
  return o;
}

Endpoints outgoing_endpoints() { return {ip("10.0.0.1"), 40000, ip("10.0.0.2"), 179}; }
Endpoints incoming_endpoints() { return {ip("10.0.0.1"), 179, ip("10.0.0.2"), 50000}; }

std::optional<Notification> notification_in(const std::vector<Message>& messages) {
  for (const Message& m : messages) {
    if (const auto* n = std::get_if<Notification>(&m)) return *n;
  }
  return std::nullopt;
}

class FsmTest : public ::testing::Test {
 protected:
  void make(SessionConfig c = base_config()) {
    fsm = std::make_unique<Fsm>(std::move(c), io, events);
  }
  void feed(ConnId id, const Bytes& b) { ASSERT_EQ(fsm->data_received(id, ByteSpan(b)), b.size()); }
  // Starts the FSM and lets the first outgoing connect succeed.
  ConnId connect_out() {
    fsm->start();
    io.advance(*fsm, seconds(2));
    EXPECT_EQ(io.connects.size(), 1u);
    const ConnId id = io.connects.back();
    fsm->connected(id, outgoing_endpoints());
    return id;
  }
  ConnId establish(const OpenMessage& open = peer_open()) {
    const ConnId id = connect_out();
    feed(id, encode_open(open));
    feed(id, encode_keepalive());
    EXPECT_EQ(fsm->state(), SessionState::kEstablished);
    return id;
  }

  FakeFsmIo io;
  RecordingListener events;
  std::unique_ptr<Fsm> fsm;
};

TEST_F(FsmTest, FirstConnectComesAfterTwoSecondsThenEveryConnectRetry) {
  make();
  fsm->start();
  EXPECT_EQ(fsm->state(), SessionState::kIdle);
  io.advance(*fsm, milliseconds(0));
  EXPECT_EQ(fsm->state(), SessionState::kActive);
  io.advance(*fsm, milliseconds(1999));
  EXPECT_TRUE(io.connects.empty());
  io.advance(*fsm, milliseconds(1));
  ASSERT_EQ(io.connects.size(), 1u);
  EXPECT_EQ(fsm->state(), SessionState::kConnect);

  fsm->connect_failed(io.connects[0]);
  EXPECT_EQ(fsm->state(), SessionState::kActive);
  EXPECT_EQ(io.remaining(TimerKind::kConnectRetry), seconds(120));
  io.advance(*fsm, seconds(119));
  EXPECT_EQ(io.connects.size(), 1u);
  io.advance(*fsm, seconds(1));
  EXPECT_EQ(io.connects.size(), 2u);
}

TEST_F(FsmTest, OpenExchangeEstablishesWithNegotiatedValues) {
  make();
  const ConnId id = connect_out();
  EXPECT_EQ(fsm->state(), SessionState::kOpenSent);
  auto sent = io.messages(id);
  ASSERT_EQ(sent.size(), 1u);
  const auto& ours = std::get<OpenMessage>(sent[0]);
  EXPECT_EQ(ours.asn(), 64512u);
  EXPECT_EQ(ours.hold_time, 90);
  EXPECT_EQ(ours.bgp_id, id_of("10.0.0.1"));
  EXPECT_TRUE(ours.capabilities.route_refresh);
  EXPECT_THAT(ours.capabilities.multiprotocol, ElementsAre(kIpv4Unicast));
  EXPECT_FALSE(ours.capabilities.graceful_restart.has_value());

  feed(id, encode_open(peer_open(65000, "10.0.0.2", 30)));
  EXPECT_EQ(fsm->state(), SessionState::kOpenConfirm);
  EXPECT_TRUE(std::holds_alternative<KeepaliveMessage>(io.messages(id).back()));
  feed(id, encode_keepalive());
  EXPECT_EQ(fsm->state(), SessionState::kEstablished);
  ASSERT_EQ(events.negotiated.size(), 1u);
  const Negotiated& n = events.negotiated[0];
  EXPECT_EQ(n.hold_time, 30);
  EXPECT_EQ(n.keepalive, seconds(10));
  EXPECT_EQ(n.peer_as, 65000u);
  EXPECT_TRUE(n.codec.ebgp);
  EXPECT_TRUE(n.codec.four_octet_as);
  EXPECT_THAT(n.families, ElementsAre(kIpv4Unicast));
  EXPECT_EQ(n.local_address, ip("10.0.0.1"));
  EXPECT_THAT(events.states,
              ElementsAre(SessionState::kActive, SessionState::kConnect, SessionState::kOpenSent,
                          SessionState::kOpenConfirm, SessionState::kEstablished));
}

TEST_F(FsmTest, SendsKeepaliveEveryThirdOfTheHoldTime) {
  make();
  const ConnId id = establish();
  const std::size_t before = io.sent[id].size();
  io.advance(*fsm, seconds(29));
  EXPECT_EQ(io.sent[id].size(), before);
  io.advance(*fsm, seconds(1));
  ASSERT_EQ(io.sent[id].size(), before + 1);
  EXPECT_TRUE(std::holds_alternative<KeepaliveMessage>(io.messages(id).back()));
}

TEST_F(FsmTest, SilentPeerIsTornDownWhenTheHoldTimerExpires) {
  make();
  const ConnId id = establish(peer_open(65000, "10.0.0.2", 9));
  io.advance(*fsm, seconds(8));
  feed(id, encode_keepalive());  // restarts the hold timer
  io.advance(*fsm, seconds(8));
  EXPECT_EQ(fsm->state(), SessionState::kEstablished);
  io.advance(*fsm, seconds(1));
  EXPECT_EQ(fsm->state(), SessionState::kIdle);
  const std::optional<Notification> n = notification_in(io.messages(id));
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->code, err::kHoldTimerExpired);
  EXPECT_TRUE(io.closed.contains(id));
  ASSERT_EQ(events.downs.size(), 1u);
  EXPECT_EQ(events.downs[0].reason, DownReason::kHoldTimerExpired);
  EXPECT_TRUE(events.downs[0].keeps_routes_for_graceful_restart());
  EXPECT_EQ(io.remaining(TimerKind::kIdleHold), seconds(5));
}

TEST_F(FsmTest, PeerThatNeverSendsOpenIsDroppedAfter240Seconds) {
  make();
  const ConnId id = connect_out();
  io.advance(*fsm, seconds(239));
  EXPECT_EQ(fsm->state(), SessionState::kOpenSent);
  io.advance(*fsm, seconds(1));
  EXPECT_EQ(fsm->state(), SessionState::kIdle);
  const std::optional<Notification> n = notification_in(io.messages(id));
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->code, err::kHoldTimerExpired);
  EXPECT_TRUE(events.downs.empty()) << "the session was never up";
}

TEST_F(FsmTest, HoldTimeZeroMeansNoKeepalivesAndNoHoldTimer) {
  make();
  const ConnId id = establish(peer_open(65000, "10.0.0.2", 0));
  EXPECT_FALSE(io.armed(TimerKind::kHold, id));
  EXPECT_FALSE(io.armed(TimerKind::kKeepalive, id));
  io.advance(*fsm, std::chrono::hours(1));
  EXPECT_EQ(fsm->state(), SessionState::kEstablished);
}

struct BadOpen {
  const char* name;
  OpenMessage open;
  uint32_t configured_peer_as;
  uint8_t code;
  uint8_t subcode;
};

class FsmBadOpenTest : public FsmTest, public ::testing::WithParamInterface<BadOpen> {};

TEST_P(FsmBadOpenTest, IsAnsweredWithTheRightNotification) {
  SessionConfig c = base_config();
  c.peer_as = GetParam().configured_peer_as;
  make(c);
  const ConnId id = connect_out();
  feed(id, encode_open(GetParam().open));
  const std::optional<Notification> n = notification_in(io.messages(id));
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->code, GetParam().code);
  EXPECT_EQ(n->subcode, GetParam().subcode);
  EXPECT_TRUE(io.closed.contains(id));
  EXPECT_EQ(fsm->state(), SessionState::kIdle);
  EXPECT_TRUE(events.negotiated.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, FsmBadOpenTest,
    ::testing::Values(BadOpen{"WrongPeerAs", peer_open(65001), 65000, 2, 2},
                      BadOpen{"HoldTimeTwo", peer_open(65000, "10.0.0.2", 2), 65000, 2, 6},
                      BadOpen{"ZeroIdentifier", peer_open(65000, "0.0.0.0"), 65000, 2, 3},
                      BadOpen{"OurIdentifierOnIbgp", peer_open(64512, "10.0.0.1"), 0, 2, 3}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(FsmTest, UnsetPeerAsAcceptsAnyAsAndClassifiesTheSession) {
  SessionConfig c = base_config();
  c.peer_as = 0;
  make(c);
  establish(peer_open(64512));
  ASSERT_EQ(events.negotiated.size(), 1u);
  EXPECT_FALSE(events.negotiated[0].codec.ebgp);
}

TEST_F(FsmTest, NonOpenMessageInOpenSentIsAnFsmError) {
  make();
  const ConnId id = connect_out();
  feed(id, encode_keepalive());
  const std::optional<Notification> n = notification_in(io.messages(id));
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->code, err::kFsm);
  EXPECT_EQ(n->subcode, 1);
}

TEST_F(FsmTest, BadHeaderLengthIsAnsweredWithHeaderError) {
  make();
  const ConnId id = connect_out();
  Bytes bad = encode_keepalive();
  bad[17] = 18;  // length below the 19-byte minimum
  feed(id, bad);
  const std::optional<Notification> n = notification_in(io.messages(id));
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->code, err::kHeader);
  EXPECT_EQ(n->subcode, err::kBadMessageLength);
}

TEST_F(FsmTest, MessagesSplitAcrossReadsAreReassembled) {
  make();
  const ConnId id = connect_out();
  const Bytes open = encode_open(peer_open());
  const ByteSpan all(open);
  EXPECT_EQ(fsm->data_received(id, all.first(10)), 0u);
  EXPECT_EQ(fsm->state(), SessionState::kOpenSent);
  EXPECT_EQ(fsm->data_received(id, all), open.size());
  EXPECT_EQ(fsm->state(), SessionState::kOpenConfirm);
}

TEST_F(FsmTest, ReceivedNotificationEndsTheSessionWithoutAReply) {
  make();
  const ConnId id = establish();
  const std::size_t before = io.sent[id].size();
  feed(id, encode_notification(Notification::cease_with_communication(2, "maintenance")));
  EXPECT_EQ(io.sent[id].size(), before);
  ASSERT_EQ(events.downs.size(), 1u);
  EXPECT_EQ(events.downs[0].reason, DownReason::kNotificationReceived);
  EXPECT_FALSE(events.downs[0].keeps_routes_for_graceful_restart());
  EXPECT_EQ(events.downs[0].notification->shutdown_communication(), "maintenance");
}

TEST_F(FsmTest, LostConnectionReturnsToIdleAndReconnects) {
  make();
  const ConnId id = establish();
  fsm->connection_closed(id);
  EXPECT_EQ(fsm->state(), SessionState::kIdle);
  ASSERT_EQ(events.downs.size(), 1u);
  EXPECT_EQ(events.downs[0].reason, DownReason::kConnectionLost);
  io.advance(*fsm, seconds(5));
  EXPECT_EQ(fsm->state(), SessionState::kActive);
  io.advance(*fsm, seconds(2));
  EXPECT_EQ(io.connects.size(), 2u);
}

TEST_F(FsmTest, ConnectionClosedBeforeTheOpenLeavesUsActiveAndListening) {
  make();
  const ConnId id = connect_out();
  fsm->connection_closed(id);
  EXPECT_EQ(fsm->state(), SessionState::kActive);
  EXPECT_EQ(io.remaining(TimerKind::kConnectRetry), seconds(120));
  EXPECT_TRUE(fsm->accept(fsm->reserve_id(), incoming_endpoints()));
}

TEST_F(FsmTest, StopSendsTheCeaseAndStaysIdle) {
  make();
  const ConnId id = establish();
  fsm->stop(make_error(err::kCease, err::kPeerDeconfigured));
  const std::optional<Notification> n = notification_in(io.messages(id));
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->subcode, err::kPeerDeconfigured);
  ASSERT_EQ(events.downs.size(), 1u);
  EXPECT_EQ(events.downs[0].reason, DownReason::kAdminStop);
  EXPECT_EQ(fsm->state(), SessionState::kIdle);
  io.advance(*fsm, std::chrono::hours(1));
  EXPECT_EQ(io.connects.size(), 1u) << "a stopped session must not reconnect";
}

TEST_F(FsmTest, AdministrativeResetWaitsThirtySecondsBeforeReconnecting) {
  make();
  establish();
  fsm->reset(Notification::cease_with_communication(err::kAdministrativeReset, "BFD is down"));
  EXPECT_EQ(fsm->state(), SessionState::kIdle);
  EXPECT_EQ(io.remaining(TimerKind::kIdleHold), seconds(30));
}

TEST_F(FsmTest, PassivePeerNeverConnectsButAccepts) {
  SessionConfig c = base_config();
  c.passive = true;
  make(c);
  fsm->start();
  io.advance(*fsm, std::chrono::minutes(10));
  EXPECT_TRUE(io.connects.empty());
  EXPECT_EQ(fsm->state(), SessionState::kActive);
  const ConnId id = fsm->reserve_id();
  ASSERT_TRUE(fsm->accept(id, incoming_endpoints()));
  feed(id, encode_open(peer_open()));
  feed(id, encode_keepalive());
  EXPECT_EQ(fsm->state(), SessionState::kEstablished);
}

TEST_F(FsmTest, RefusesConnectionsWhenIdleOnWrongLocalAddressOrEstablished) {
  SessionConfig c = base_config();
  c.local_address = ip("10.0.0.1");
  make(c);
  EXPECT_FALSE(fsm->accept(fsm->reserve_id(), incoming_endpoints())) << "not started";
  fsm->start();
  io.advance(*fsm, milliseconds(0));
  Endpoints elsewhere = incoming_endpoints();
  elsewhere.local = ip("10.0.9.9");
  EXPECT_FALSE(fsm->accept(fsm->reserve_id(), elsewhere));
  io.advance(*fsm, seconds(2));
  const ConnId out = io.connects.back();
  fsm->connected(out, outgoing_endpoints());
  feed(out, encode_open(peer_open()));
  feed(out, encode_keepalive());
  EXPECT_FALSE(fsm->accept(fsm->reserve_id(), incoming_endpoints())) << "already established";
}

// Both sides connected at once; the OPEN on one connection decides.
class FsmCollisionTest : public FsmTest {
 protected:
  void both_connections(SessionConfig c = base_config()) {
    make(std::move(c));
    out = connect_out();
    in = fsm->reserve_id();
    ASSERT_TRUE(fsm->accept(in, incoming_endpoints()));
  }
  ConnId out = 0;
  ConnId in = 0;
};

TEST_F(FsmCollisionTest, HigherRemoteIdentifierKeepsTheAcceptedConnection) {
  both_connections();
  feed(out, encode_open(peer_open(65000, "10.0.0.2")));
  EXPECT_TRUE(io.closed.contains(out));
  EXPECT_FALSE(notification_in(io.messages(out)).has_value()) << "collision loser closes silently";
  feed(in, encode_open(peer_open(65000, "10.0.0.2")));
  feed(in, encode_keepalive());
  EXPECT_EQ(fsm->state(), SessionState::kEstablished);
  EXPECT_FALSE(io.closed.contains(in));
}

TEST_F(FsmCollisionTest, LowerRemoteIdentifierKeepsOurConnection) {
  both_connections();
  feed(in, encode_open(peer_open(65000, "9.9.9.9")));
  EXPECT_TRUE(io.closed.contains(in));
  feed(out, encode_open(peer_open(65000, "9.9.9.9")));
  feed(out, encode_keepalive());
  EXPECT_EQ(fsm->state(), SessionState::kEstablished);
}

TEST_F(FsmCollisionTest, EqualIdentifiersLetTheLargerAsKeepItsConnection) {
  both_connections();
  // eBGP with equal identifiers: peer AS 65000 > 64512, so the peer's
  // connection (our accepted one) survives.
  feed(out, encode_open(peer_open(65000, "10.0.0.1")));
  EXPECT_TRUE(io.closed.contains(out));
  EXPECT_FALSE(io.closed.contains(in));
}

TEST_F(FsmTest, UpdatesAndRouteRefreshesReachTheListener) {
  make();
  const ConnId id = establish();
  UpdateMessage u;
  PathAttributes a;
  a.origin = Origin::kIgp;
  a.as_path = AsPath{{AsSegment{SegmentType::kSequence, {65000}}}};
  a.next_hop = ip("10.0.0.2");
  u.attrs = std::make_shared<const PathAttributes>(a);
  u.nlri = {Prefix4::parse("10.244.1.0/24").value()};
  feed(id, encode_update(u, CodecOptions{.ebgp = true}));
  ASSERT_EQ(events.updates.size(), 1u);
  EXPECT_EQ(events.updates[0].nlri, u.nlri);

  feed(id, encode_route_refresh({kIpv4Unicast}));
  feed(id, encode_route_refresh({kIpv6Unicast}));  // not negotiated: ignored
  EXPECT_THAT(events.refreshes, ElementsAre(kIpv4Unicast));
  EXPECT_EQ(fsm->state(), SessionState::kEstablished);
}

TEST_F(FsmTest, OpenAfterEstablishedIsAnFsmError) {
  make();
  const ConnId id = establish();
  feed(id, encode_open(peer_open()));
  const std::optional<Notification> n = notification_in(io.messages(id));
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->code, err::kFsm);
  EXPECT_EQ(n->subcode, 3);
  EXPECT_EQ(events.downs.at(0).reason, DownReason::kNotificationSent);
}

TEST_F(FsmTest, UpdatesAreOnlySentWhenEstablished) {
  make();
  EXPECT_FALSE(fsm->send_update(encode_end_of_rib(kIpv4Unicast)));
  const ConnId id = establish();
  EXPECT_TRUE(fsm->send_update(encode_end_of_rib(kIpv4Unicast)));
  EXPECT_TRUE(std::holds_alternative<UpdateMessage>(io.messages(id).back()));
}

}  // namespace
}  // namespace kr::bgp::session
