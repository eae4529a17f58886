// Our session layer (FSM + Asio transport) against a real gobgpd in network
// namespaces: IPv4 and IPv6 transport, eBGP and iBGP, TCP MD5, hold-timer
// expiry and the eBGP TTL. Routes are exchanged as raw UPDATEs here; the
// speaker-level tests cover the RIB on top.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <mutex>

#include "bgp/session/session.h"
#include "gobgpd_peer.h"
#include "netns_io_thread.h"
#include "support/netns.h"
#include "support/root.h"
#include "support/temp_dir.h"
#include "support/veth.h"
#include "support/wait.h"

namespace kr::test {
namespace {

using bgp::IpAddress;
using bgp::session::DownInfo;
using bgp::session::DownReason;
using bgp::session::Negotiated;
using bgp::session::Session;
using bgp::session::SessionConfig;
using bgp::session::SessionState;
using std::chrono::seconds;
using ::testing::ElementsAre;

#define REQUIRE_GOBGP() KR_REQUIRE_ROOT_AND_TOOLS("ip", "gobgpd", "gobgp")

IpAddress ip(const std::string& text) { return IpAddress::parse(text).value(); }

// Everything the session reports, readable from the test thread.
class Recorder : public bgp::session::FsmListener {
 public:
  void state_changed(SessionState /*from*/, SessionState /*to*/) override {}
  void established(const Negotiated& n) override {
    std::lock_guard lock(mu_);
    negotiated_ = n;
  }
  void update_received(bgp::UpdateMessage&& u) override {
    std::lock_guard lock(mu_);
    updates_.push_back(std::move(u));
  }
  void route_refresh_received(bgp::Family /*family*/) override {}
  void down(const DownInfo& info) override {
    std::lock_guard lock(mu_);
    downs_.push_back(info);
  }

  std::optional<Negotiated> negotiated() {
    std::lock_guard lock(mu_);
    return negotiated_;
  }
  std::vector<bgp::UpdateMessage> updates() {
    std::lock_guard lock(mu_);
    return updates_;
  }
  std::vector<DownInfo> downs() {
    std::lock_guard lock(mu_);
    return downs_;
  }

 private:
  std::mutex mu_;
  std::optional<Negotiated> negotiated_;
  std::vector<bgp::UpdateMessage> updates_;
  std::vector<DownInfo> downs_;
};

bgp::AttrSetPtr attrs(std::vector<uint32_t> as_path, std::vector<uint32_t> communities,
                      std::optional<IpAddress> next_hop) {
  bgp::PathAttributes a;
  a.origin = bgp::Origin::kIgp;
  a.as_path = bgp::AsPath{};
  if (!as_path.empty()) {
    a.as_path->segments.push_back({bgp::SegmentType::kSequence, std::move(as_path)});
  }
  a.next_hop = next_hop;
  a.communities = std::move(communities);
  return std::make_shared<const bgp::PathAttributes>(std::move(a));
}

class SessionWithGobgpd : public ::testing::Test {
 protected:
  // ours: 10.0.0.1 / fd00::1, peer: 10.0.0.2 / fd00::2 on one veth.
  void SetUp() override {
    if (!running_as_root() || !missing_tools({"ip", "gobgpd", "gobgp"}).empty()) return;
    ours_ = std::make_unique<ScopedNetns>();
    theirs_ = std::make_unique<ScopedNetns>();
    connect_veth({ours_->name(), "eth0", "10.0.0.1/24"}, {theirs_->name(), "eth0", "10.0.0.2/24"});
    ours_->ip({"addr", "add", "fd00::1/64", "dev", "eth0", "nodad"});
    theirs_->ip({"addr", "add", "fd00::2/64", "dev", "eth0", "nodad"});
    loop_ = std::make_unique<NetnsIoThread>(ours_->name());
  }
  void TearDown() override {
    if (loop_) loop_->call([this] { session_.reset(); });
    loop_.reset();
  }

  static SessionConfig config(const std::string& peer, const std::string& local, uint32_t peer_as) {
    SessionConfig c;
    c.peer_address = ip(peer);
    c.local_address = ip(local);
    c.local_as = 64512;
    c.peer_as = peer_as;
    c.router_id = ip("10.0.0.1").v4_u32();
    c.connect_retry = seconds(3);
    c.hostname = "ours";
    return c;
  }
  void start_session(SessionConfig c) {
    loop_->call([&] {
      session_ = std::make_unique<Session>(loop_->io(), std::move(c), recorder_);
      session_->start();
    });
  }
  SessionState state() {
    return loop_->call([this] { return session_->fsm().state(); });
  }
  bool established() { return state() == SessionState::kEstablished; }
  void send(const bgp::UpdateMessage& u) {
    loop_->call([&] {
      ASSERT_TRUE(
          session_->send_update(bgp::encode_update(u, session_->fsm().negotiated()->codec)));
    });
  }
  GobgpdPeer& gobgpd(GobgpConfig c) {
    gobgpd_ = std::make_unique<GobgpdPeer>(*theirs_, dir_.file("gobgpd"), std::move(c));
    gobgpd_->start();
    return *gobgpd_;
  }

  TempDir dir_{"bgp-session"};
  std::unique_ptr<ScopedNetns> ours_;
  std::unique_ptr<ScopedNetns> theirs_;
  std::unique_ptr<GobgpdPeer> gobgpd_;
  std::unique_ptr<NetnsIoThread> loop_;
  Recorder recorder_;
  std::unique_ptr<Session> session_;
};

TEST_F(SessionWithGobgpd, EbgpOverIpv4ExchangesRoutesBothWays) {
  REQUIRE_GOBGP();
  GobgpdPeer& peer = gobgpd({.asn = 65000,
                             .router_id = "10.0.0.2",
                             .listen_addresses = {"10.0.0.2"},
                             .neighbors = {{.address = "10.0.0.1", .peer_as = 64512}}});
  start_session(config("10.0.0.2", "10.0.0.1", 65000));
  ASSERT_TRUE(wait_until([&] { return established(); }, seconds(30))) << peer.log();
  EXPECT_EQ(peer.neighbor_state("10.0.0.1"), "established");
  const Negotiated n = recorder_.negotiated().value();
  EXPECT_TRUE(n.codec.ebgp);
  EXPECT_EQ(n.peer_as, 65000u);
  EXPECT_EQ(n.local_address, ip("10.0.0.1"));

  peer.announce("10.50.0.0/24", "10.0.0.2", {"65000:7"});
  ASSERT_TRUE(wait_until([&] { return !recorder_.updates().empty(); }, seconds(10)));
  const bgp::UpdateMessage got = recorder_.updates().back();
  ASSERT_THAT(got.nlri, ElementsAre(bgp::Prefix4::parse("10.50.0.0/24").value()));
  EXPECT_EQ(got.attrs->as_path->to_string(), "65000");
  EXPECT_THAT(got.attrs->communities, ElementsAre((65000u << 16) | 7));

  bgp::UpdateMessage u;
  u.attrs = attrs({64512}, {(64512u << 16) | 1}, ip("10.0.0.1"));
  u.nlri = {bgp::Prefix4::parse("10.244.0.0/24").value()};
  send(u);
  SeenRib rib;
  ASSERT_TRUE(
      wait_until([&] { return (rib = peer.rib("ipv4")).contains("10.244.0.0/24"); }, seconds(10)));
  EXPECT_EQ(rib["10.244.0.0/24"].next_hop, "10.0.0.1");
  EXPECT_THAT(rib["10.244.0.0/24"].as_path, ElementsAre(64512u));
  EXPECT_THAT(rib["10.244.0.0/24"].communities, ElementsAre("64512:1"));
}

TEST_F(SessionWithGobgpd, IbgpOverIpv6CarriesIpv6Unicast) {
  REQUIRE_GOBGP();
  GobgpNeighbor nb{.address = "fd00::1", .peer_as = 64512};
  nb.ipv4 = false;
  nb.ipv6 = true;
  GobgpdPeer& peer = gobgpd(
      {.asn = 64512, .router_id = "10.0.0.2", .listen_addresses = {"fd00::2"}, .neighbors = {nb}});
  SessionConfig c = config("fd00::2", "fd00::1", 64512);
  c.families = {bgp::kIpv6Unicast};
  start_session(c);
  ASSERT_TRUE(wait_until([&] { return established(); }, seconds(30))) << peer.log();
  const Negotiated n = recorder_.negotiated().value();
  EXPECT_FALSE(n.codec.ebgp);
  EXPECT_THAT(n.families, ElementsAre(bgp::kIpv6Unicast));

  bgp::UpdateMessage u;
  u.attrs = attrs({}, {}, std::nullopt);
  bgp::PathAttributes with_lp = *u.attrs;
  with_lp.local_pref = 100;
  u.attrs = std::make_shared<const bgp::PathAttributes>(with_lp);
  u.mp_reach =
      bgp::MpReach{bgp::kIpv6Unicast, true, ip("fd00::1"),
                   std::nullopt,      {},   {bgp::Prefix6::parse("2001:db8:42::/64").value()}};
  send(u);
  SeenRib rib;
  ASSERT_TRUE(wait_until([&] { return (rib = peer.rib("ipv6")).contains("2001:db8:42::/64"); },
                         seconds(10)));
  EXPECT_EQ(rib["2001:db8:42::/64"].next_hop, "fd00::1");

  peer.announce("2001:db8:50::/64", "fd00::2");
  ASSERT_TRUE(wait_until([&] { return !recorder_.updates().empty(); }, seconds(10)));
  const auto got = recorder_.updates().back();
  ASSERT_TRUE(got.mp_reach.has_value());
  EXPECT_THAT(got.mp_reach->nlri6, ElementsAre(bgp::Prefix6::parse("2001:db8:50::/64").value()));
  EXPECT_EQ(got.mp_reach->next_hop, ip("fd00::2"));
}

TEST_F(SessionWithGobgpd, Md5WithTheRightPasswordEstablishes) {
  REQUIRE_GOBGP();
  GobgpNeighbor nb{.address = "10.0.0.1", .peer_as = 64512};
  nb.password = "s3cret";
  GobgpdPeer& peer = gobgpd(
      {.asn = 65000, .router_id = "10.0.0.2", .listen_addresses = {"10.0.0.2"}, .neighbors = {nb}});
  SessionConfig c = config("10.0.0.2", "10.0.0.1", 65000);
  c.password = "s3cret";
  start_session(c);
  ASSERT_TRUE(wait_until([&] { return established(); }, seconds(30))) << peer.log();
  EXPECT_EQ(peer.neighbor_state("10.0.0.1"), "established");
}

TEST_F(SessionWithGobgpd, Md5WithAWrongPasswordNeverEstablishes) {
  REQUIRE_GOBGP();
  GobgpNeighbor nb{.address = "10.0.0.1", .peer_as = 64512};
  nb.password = "s3cret";
  GobgpdPeer& peer = gobgpd(
      {.asn = 65000, .router_id = "10.0.0.2", .listen_addresses = {"10.0.0.2"}, .neighbors = {nb}});
  SessionConfig c = config("10.0.0.2", "10.0.0.1", 65000);
  c.password = "wrong";
  start_session(c);
  // Both sides try to connect every few seconds; none of it may get through.
  EXPECT_FALSE(wait_until([&] { return state() >= SessionState::kOpenSent; }, seconds(12)));
  EXPECT_NE(peer.neighbor_state("10.0.0.1"), "established");
}

TEST_F(SessionWithGobgpd, SilentPeerIsTornDownAtHoldTimeExpiry) {
  REQUIRE_GOBGP();
  GobgpdPeer& peer = gobgpd({.asn = 65000,
                             .router_id = "10.0.0.2",
                             .listen_addresses = {"10.0.0.2"},
                             .neighbors = {{.address = "10.0.0.1", .peer_as = 64512}}});
  SessionConfig c = config("10.0.0.2", "10.0.0.1", 65000);
  c.hold_time = 3;
  start_session(c);
  ASSERT_TRUE(wait_until([&] { return established(); }, seconds(30))) << peer.log();
  EXPECT_EQ(recorder_.negotiated()->hold_time, 3);
  peer.pause();
  ASSERT_TRUE(wait_until([&] { return !recorder_.downs().empty(); }, seconds(15)));
  peer.resume();
  EXPECT_EQ(recorder_.downs()[0].reason, DownReason::kHoldTimerExpired);
  EXPECT_NE(state(), SessionState::kEstablished);
}

// ours (10.0.1.1) — router — peer (10.0.2.1): one forwarding hop between.
class SessionAcrossARouter : public SessionWithGobgpd {
 protected:
  void SetUp() override {
    if (!running_as_root() || !missing_tools({"ip", "gobgpd", "gobgp", "sysctl"}).empty()) return;
    ours_ = std::make_unique<ScopedNetns>();
    router_ = std::make_unique<ScopedNetns>();
    theirs_ = std::make_unique<ScopedNetns>();
    connect_veth({ours_->name(), "eth0", "10.0.1.1/24"},
                 {router_->name(), "left", "10.0.1.254/24"});
    connect_veth({theirs_->name(), "eth0", "10.0.2.1/24"},
                 {router_->name(), "right", "10.0.2.254/24"});
    ours_->ip({"route", "add", "default", "via", "10.0.1.254"});
    theirs_->ip({"route", "add", "default", "via", "10.0.2.254"});
    ASSERT_TRUE(router_->run({"sysctl", "-qw", "net.ipv4.ip_forward=1"}).ok());
    loop_ = std::make_unique<NetnsIoThread>(ours_->name());
  }
  void start_both(uint8_t our_ttl) {
    GobgpNeighbor nb{.address = "10.0.1.1", .peer_as = 64512};
    nb.multihop_ttl = 2;
    gobgpd({.asn = 65000,
            .router_id = "10.0.2.1",
            .listen_addresses = {"10.0.2.1"},
            .neighbors = {nb}});
    SessionConfig c = config("10.0.2.1", "10.0.1.1", 65000);
    c.ttl = our_ttl;
    start_session(c);
  }
  std::unique_ptr<ScopedNetns> router_;
};

TEST_F(SessionAcrossARouter, EbgpTtlOneCannotCrossARouter) {
  KR_REQUIRE_ROOT_AND_TOOLS("ip", "gobgpd", "gobgp", "sysctl");
  start_both(1);
  EXPECT_FALSE(wait_until([&] { return established(); }, seconds(12)));
}

TEST_F(SessionAcrossARouter, MultihopTtlTwoCrossesOneRouter) {
  KR_REQUIRE_ROOT_AND_TOOLS("ip", "gobgpd", "gobgp", "sysctl");
  start_both(2);
  ASSERT_TRUE(wait_until([&] { return established(); }, seconds(30))) << gobgpd_->log();
}

}  // namespace
}  // namespace kr::test
