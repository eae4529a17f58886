// Two speakers in one event loop, peering over loopback addresses
// (127.0.0.1 and 127.0.0.2): the API the routing controller uses, observed
// through best-path and peer-state subscriptions.
#include "bgp/speaker/speaker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <map>

namespace kr::bgp::speaker {
namespace {

using session::SessionState;
using std::chrono::seconds;
using ::testing::ElementsAre;

IpAddress ip(const char* text) { return IpAddress::parse(text).value(); }
IpPrefix prefix(const char* text) { return IpPrefix::parse(text).value(); }

// Latest best path per prefix as a subscriber sees it.
struct BestPaths {
  std::map<IpPrefix, BestPathEvent> current;
  std::vector<BestPathEvent> withdrawals;
  void apply(const std::vector<BestPathEvent>& events) {
    for (const auto& e : events) {
      if (e.withdrawn) {
        current.erase(e.prefix);
        withdrawals.push_back(e);
      } else {
        current[e.prefix] = e;
      }
    }
  }
};

class TwoSpeakers : public ::testing::Test {
 protected:
  SpeakerConfig config_a() {
    SpeakerConfig c;
    c.asn = 64512;
    c.router_id = ip("1.1.1.1").v4_u32();
    c.listen_addresses = {ip("127.0.0.1")};
    c.listen_port = 0;
    c.graceful_restart = gr;
    return c;
  }
  SpeakerConfig config_b(uint16_t port = 0) {
    SpeakerConfig c;
    c.asn = 65000;
    c.router_id = ip("2.2.2.2").v4_u32();
    c.listen_addresses = {ip("127.0.0.2")};
    c.listen_port = port;
    c.graceful_restart = gr;
    return c;
  }
  static PeerConfig peer(const char* address, uint16_t port, const char* local, uint32_t asn) {
    PeerConfig p;
    p.address = ip(address);
    p.port = port;
    p.local_address = ip(local);
    p.asn = asn;
    p.connect_retry = seconds(1);
    return p;
  }

  void start_a() {
    a = std::make_unique<Speaker>(io, config_a());
    ASSERT_EQ(a->start(), "");
    a->subscribe_best_paths([this](const auto& events) { a_best.apply(events); });
    a->subscribe_peer_state([this](const PeerStateEvent& e) { a_states.push_back(e); });
  }
  void start_b(uint16_t port = 0) {
    b = std::make_unique<Speaker>(io, config_b(port));
    ASSERT_EQ(b->start(), "");
    b->subscribe_best_paths([this](const auto& events) { b_best.apply(events); });
  }
  static uint16_t port_of(const Speaker& s) { return s.listening().at(0).second; }
  // Both speakers up and peered with each other.
  void peer_both() {
    start_a();
    start_b();
    ASSERT_EQ(a->add_peer(peer("127.0.0.2", port_of(*b), "127.0.0.1", 65000)), "");
    ASSERT_EQ(b->add_peer(peer("127.0.0.1", port_of(*a), "127.0.0.2", 64512)), "");
    ASSERT_TRUE(run_until([&] { return established(*a) && established(*b); }, seconds(20)));
  }
  static bool established(const Speaker& s) {
    const auto peers = s.peers();
    return !peers.empty() && peers[0].state == SessionState::kEstablished;
  }
  template <class Pred>
  bool run_until(Pred pred, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!pred()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      io.run_for(std::chrono::milliseconds(20));
    }
    return true;
  }
  void run_for(std::chrono::milliseconds d) {
    const auto deadline = std::chrono::steady_clock::now() + d;
    while (std::chrono::steady_clock::now() < deadline) io.run_for(std::chrono::milliseconds(20));
  }

  session::GracefulRestartConfig gr;
  boost::asio::io_context io;
  std::unique_ptr<Speaker> a;
  std::unique_ptr<Speaker> b;
  BestPaths a_best;
  BestPaths b_best;
  std::vector<PeerStateEvent> a_states;
};

TEST_F(TwoSpeakers, OriginatedPathReachesThePeerWithEbgpAttributes) {
  peer_both();
  ASSERT_EQ(a->originate(prefix("10.244.0.0/24"), ip("127.0.0.1"), {(64512u << 16) | 1}), "");
  ASSERT_TRUE(
      run_until([&] { return b_best.current.contains(prefix("10.244.0.0/24")); }, seconds(5)));
  const BestPathEvent& e = b_best.current[prefix("10.244.0.0/24")];
  EXPECT_EQ(e.next_hop, ip("127.0.0.1"));
  EXPECT_EQ(e.peer, ip("127.0.0.1"));
  EXPECT_EQ(e.attrs->as_path->to_string(), "64512");
  EXPECT_THAT(e.attrs->communities, ElementsAre((64512u << 16) | 1));
  EXPECT_FALSE(e.attrs->local_pref.has_value()) << "LOCAL_PREF never crosses eBGP";
  // The originator itself sees its local path as best, with no peer.
  ASSERT_TRUE(a_best.current.contains(prefix("10.244.0.0/24")));
  EXPECT_FALSE(a_best.current[prefix("10.244.0.0/24")].peer.has_value());
}

TEST_F(TwoSpeakers, LateSubscriberStartsWithEveryCurrentBestPath) {
  peer_both();
  b->originate(prefix("10.50.0.0/24"), ip("127.0.0.2"));
  a->originate(prefix("10.244.0.0/24"), ip("127.0.0.1"));
  ASSERT_TRUE(run_until([&] { return a_best.current.size() == 2; }, seconds(5)));
  BestPaths late;
  int batches = 0;
  a->subscribe_best_paths([&](const auto& events) {
    ++batches;
    late.apply(events);
  });
  ASSERT_TRUE(run_until([&] { return late.current.size() == 2; }, seconds(5)));
  EXPECT_EQ(batches, 1) << "the dump comes as one batch";
  EXPECT_EQ(late.current[prefix("10.50.0.0/24")].peer, ip("127.0.0.2"));
  EXPECT_EQ(late.current[prefix("10.50.0.0/24")].next_hop, ip("127.0.0.2"));
  EXPECT_FALSE(late.current[prefix("10.244.0.0/24")].peer.has_value());
  b->withdraw(prefix("10.50.0.0/24"));
  ASSERT_TRUE(run_until([&] { return late.current.size() == 1; }, seconds(5)));
}

TEST_F(TwoSpeakers, WithdrawalReportsTheWithdrawnNextHop) {
  peer_both();
  a->originate(prefix("10.244.0.0/24"), ip("127.0.0.1"));
  ASSERT_TRUE(run_until([&] { return !b_best.current.empty(); }, seconds(5)));
  a->withdraw(prefix("10.244.0.0/24"));
  ASSERT_TRUE(run_until([&] { return b_best.current.empty(); }, seconds(5)));
  ASSERT_EQ(b_best.withdrawals.size(), 1u);
  EXPECT_EQ(b_best.withdrawals[0].next_hop, ip("127.0.0.1"));
  EXPECT_EQ(b_best.withdrawals[0].peer, ip("127.0.0.1"));
}

TEST_F(TwoSpeakers, Ipv6PathsTravelInMultiprotocolAttributes) {
  start_a();
  start_b();
  PeerConfig to_b = peer("127.0.0.2", port_of(*b), "127.0.0.1", 65000);
  to_b.families = {kIpv4Unicast, kIpv6Unicast};
  PeerConfig to_a = peer("127.0.0.1", port_of(*a), "127.0.0.2", 64512);
  to_a.families = {kIpv4Unicast, kIpv6Unicast};
  a->add_peer(to_b);
  b->add_peer(to_a);
  ASSERT_TRUE(run_until([&] { return established(*a) && established(*b); }, seconds(20)));
  a->originate(prefix("2001:db8:42::/64"), ip("2001:db8:1::10"));
  ASSERT_TRUE(
      run_until([&] { return b_best.current.contains(prefix("2001:db8:42::/64")); }, seconds(5)));
  EXPECT_EQ(b_best.current[prefix("2001:db8:42::/64")].next_hop, ip("2001:db8:1::10"));
  EXPECT_EQ(b->prefix_count(kIpv6Unicast), 1u);
}

TEST_F(TwoSpeakers, ReoriginatingTheSamePathSendsNoUpdate) {
  peer_both();
  a->originate(prefix("10.244.0.0/24"), ip("127.0.0.1"));
  ASSERT_TRUE(run_until([&] { return !b_best.current.empty(); }, seconds(5)));
  const auto updates = [&] { return b->peers()[0].messages.received[2]; };
  const uint64_t before = updates();
  a->originate(prefix("10.244.0.0/24"), ip("127.0.0.1"));
  a->originate(prefix("10.244.1.0/24"), ip("127.0.0.1"));  // a change, as a marker
  ASSERT_TRUE(run_until([&] { return b_best.current.size() == 2; }, seconds(5)));
  EXPECT_EQ(updates(), before + 1);
}

TEST_F(TwoSpeakers, RemovedNeighborGetsCeaseAndItsRoutesGo) {
  peer_both();
  b->originate(prefix("10.50.0.0/24"), ip("127.0.0.2"));
  ASSERT_TRUE(run_until([&] { return !a_best.current.empty(); }, seconds(5)));
  ASSERT_EQ(b->remove_peer(ip("127.0.0.1")), "");
  ASSERT_TRUE(run_until([&] { return a_best.current.empty(); }, seconds(5)));
  ASSERT_TRUE(run_until(
      [&] {
        return std::any_of(a_states.begin(), a_states.end(),
                           [](const PeerStateEvent& e) { return e.down.has_value(); });
      },
      seconds(5)));
  const auto down = std::find_if(a_states.begin(), a_states.end(),
                                 [](const PeerStateEvent& e) { return e.down.has_value(); });
  EXPECT_EQ(down->from, SessionState::kEstablished);
  EXPECT_EQ(down->down->reason, session::DownReason::kNotificationReceived);
  EXPECT_EQ(down->down->notification->subcode, err::kPeerDeconfigured);
  EXPECT_TRUE(b->peers().empty());
}

TEST_F(TwoSpeakers, NeighborStatusCountsPrefixesAndListsTheRib) {
  peer_both();
  b->originate(prefix("10.50.0.0/24"), ip("127.0.0.2"));
  b->originate(prefix("10.51.0.0/24"), ip("127.0.0.2"));
  a->originate(prefix("10.244.0.0/24"), ip("127.0.0.1"));
  ASSERT_TRUE(run_until([&] { return a_best.current.size() == 3; }, seconds(5)));
  const PeerStatus s = a->peers().at(0);
  EXPECT_EQ(s.state, SessionState::kEstablished);
  EXPECT_EQ(s.remote_as, 65000u);
  EXPECT_EQ(s.remote_id, ip("2.2.2.2").v4_u32());
  EXPECT_EQ(s.hold_time, 90);
  EXPECT_EQ(s.received, 2u);
  EXPECT_EQ(s.accepted, 2u);
  EXPECT_EQ(s.established_count, 1u);

  const std::vector<RibPath> rib = a->rib(kIpv4Unicast);
  ASSERT_EQ(rib.size(), 3u);
  EXPECT_EQ(rib[0].prefix, prefix("10.50.0.0/24"));
  EXPECT_EQ(rib[0].peer, ip("127.0.0.2"));
  EXPECT_TRUE(rib[0].best);
  EXPECT_EQ(rib[2].prefix, prefix("10.244.0.0/24"));
  EXPECT_FALSE(rib[2].peer.has_value());
}

TEST_F(TwoSpeakers, ExportPolicyRejectWithdrawsWhatWasSent) {
  peer_both();
  a->originate(prefix("10.244.0.0/24"), ip("127.0.0.1"));
  ASSERT_TRUE(run_until([&] { return !b_best.current.empty(); }, seconds(5)));
  policy::PolicyConfig pc;
  pc.export_default_accept = false;
  auto built = policy::RoutingPolicy::build(pc);
  a->set_policy(std::get<policy::PolicyPtr>(built));
  ASSERT_TRUE(run_until([&] { return b_best.current.empty(); }, seconds(5)));
}

TEST_F(TwoSpeakers, RejectsBadAndDuplicateNeighbors) {
  start_a();
  PeerConfig p = peer("127.0.0.2", 179, "127.0.0.1", 65000);
  EXPECT_EQ(a->add_peer(p), "");
  EXPECT_EQ(a->add_peer(p), "neighbor 127.0.0.2 already exists");
  PeerConfig mixed = peer("::2", 179, "127.0.0.1", 65000);
  EXPECT_THAT(a->add_peer(mixed), ::testing::HasSubstr("of another family"));
  PeerConfig hold = peer("127.0.0.3", 179, "127.0.0.1", 65000);
  hold.hold_time = 2;
  EXPECT_THAT(a->add_peer(hold), ::testing::HasSubstr("hold time"));
  EXPECT_THAT(a->remove_peer(ip("127.0.0.9")), ::testing::HasSubstr("does not exist"));
  EXPECT_EQ(a->peers().size(), 1u);
}

TEST_F(TwoSpeakers, GracefulRestartKeepsRoutesStaleUntilTheRestartedPeerSendsEndOfRib) {
  gr.enabled = true;
  gr.restart_time = 60;
  peer_both();
  b->originate(prefix("10.50.0.0/24"), ip("127.0.0.2"));
  b->originate(prefix("10.51.0.0/24"), ip("127.0.0.2"));
  ASSERT_TRUE(run_until([&] { return a_best.current.size() == 2; }, seconds(10)));
  EXPECT_TRUE(a->peers()[0].graceful_restart);

  // B "crashes": its connections drop without a NOTIFICATION.
  const uint16_t b_port = port_of(*b);
  b.reset();
  ASSERT_TRUE(run_until([&] { return !established(*a); }, seconds(5)));
  run_for(std::chrono::milliseconds(200));
  auto rib = a->rib(kIpv4Unicast);
  ASSERT_EQ(rib.size(), 2u) << "the helper keeps the routes";
  EXPECT_TRUE(rib[0].stale);
  EXPECT_EQ(a_best.current.size(), 2u) << "no withdrawal reaches the kernel";

  // B comes back restarting and now originates only one of the two.
  start_b(b_port);
  b->originate(prefix("10.50.0.0/24"), ip("127.0.0.2"));
  ASSERT_EQ(b->add_peer(peer("127.0.0.1", port_of(*a), "127.0.0.2", 64512)), "");
  ASSERT_TRUE(run_until([&] { return a_best.current.size() == 1; }, seconds(30)));
  EXPECT_TRUE(a_best.current.contains(prefix("10.50.0.0/24")));
  rib = a->rib(kIpv4Unicast);
  ASSERT_EQ(rib.size(), 1u);
  EXPECT_FALSE(rib[0].stale) << "refreshed by the restarted peer";
}

}  // namespace
}  // namespace kr::bgp::speaker
