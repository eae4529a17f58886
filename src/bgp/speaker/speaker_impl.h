// Internals of the speaker, shared by its implementation files:
// speaker.cpp (API), peer_events.cpp (session events, graceful restart) and
// output.cpp (RIB changes → UPDATEs and subscriber callbacks).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "bgp/rib/rib.h"
#include "bgp/session/listener.h"
#include "bgp/session/session.h"
#include "bgp/speaker/speaker.h"

namespace kr::bgp::speaker {

class SpeakerImpl;

// The order of listings and dumps: IPv4 first, then by address, then length.
inline bool listing_order(const IpPrefix& a, const IpPrefix& b) {
  return std::tie(a.v6, a.addr, a.len) < std::tie(b.v6, b.addr, b.len);
}

// One neighbor: its session, its slot in the RIB and its graceful-restart
// state. Session events are forwarded to the speaker.
struct Peer : session::FsmListener {
  Peer(SpeakerImpl& owner, boost::asio::io_context& io, PeerConfig config, rib::PeerId id);

  void state_changed(session::SessionState from, session::SessionState to) override;
  void established(const session::Negotiated& n) override;
  void update_received(UpdateMessage&& update) override;
  void route_refresh_received(Family family) override;
  void down(const session::DownInfo& info) override;

  bool is_established() const;

  SpeakerImpl& owner;
  PeerConfig config;
  rib::PeerId rib_id;
  std::unique_ptr<session::Session> session;
  // Of the current session, or the last one once it went down.
  std::optional<session::Negotiated> negotiated;
  std::string last_error;
  // End-of-RIB markers to send after the next flush of this peer's updates.
  std::vector<Family> eor_pending;

  // RFC 4724 §4.1, restarting speaker: our OPENs carry R=1 and the initial
  // table waits for the peers' End-of-RIB or the deferral timer.
  bool local_restarting = false;
  bool export_deferred = false;
  bool peer_restarting = false;  // the peer's OPEN carried R=1
  std::set<Family> eor_received;
  boost::asio::steady_timer deferral_timer;

  // RFC 4724 §4.2, helper: families whose routes are kept stale, and the
  // timer that drops them (restart time while down, then the wait for the
  // peer's End-of-RIB).
  std::vector<Family> stale_families;
  boost::asio::steady_timer stale_timer;
};

class SpeakerImpl {
 public:
  SpeakerImpl(boost::asio::io_context& io, SpeakerConfig config);
  ~SpeakerImpl();

  // --- API (speaker.cpp) ---
  std::string start();
  std::string add_peer(const PeerConfig& config);
  std::string update_peer(const PeerConfig& config);
  std::string remove_peer(const IpAddress& address);
  std::string reset_peer(const IpAddress& address, const std::string& communication);
  std::vector<PeerStatus> peers();
  std::string originate(const IpPrefix& prefix, const IpAddress& next_hop,
                        std::vector<uint32_t> communities);
  void withdraw(const IpPrefix& prefix);
  void set_policy(policy::PolicyPtr policy);
  std::vector<RibPath> rib(Family family);
  void shutdown(bool notify);
  void accept(int fd, const IpAddress& remote);

  // --- session events (peer_events.cpp) ---
  void on_state_changed(Peer& p, session::SessionState from, session::SessionState to);
  void on_established(Peer& p, const session::Negotiated& n);
  void on_update(Peer& p, UpdateMessage&& update);
  void on_route_refresh(Peer& p, Family family);
  void on_down(Peer& p, const session::DownInfo& info);
  void on_end_of_rib(Peer& p, Family family);
  void check_restart_complete();
  void finish_deferral(Peer& p);
  void sweep_stale(Peer& p, Family family);

  // --- output (output.cpp) ---
  // Takes what the last RIB calls changed: best-path events for the
  // subscribers, and a flush of the per-peer updates on the next loop turn.
  void absorb();
  void schedule_flush();
  void flush();
  static void send_output(Peer& p, const rib::PeerOutput& out);
  static void send_end_of_rib(Peer& p);
  // Every current best path, as announcements (a new subscriber's start).
  std::vector<BestPathEvent> best_path_dump();

  Peer* find_peer(const IpAddress& address);
  Peer* find_peer(rib::PeerId id);

  boost::asio::io_context& io_;
  SpeakerConfig config_;
  rib::Rib rib_;
  session::Listener listener_;
  std::map<IpAddress, std::unique_ptr<Peer>> peers_;
  std::unordered_map<rib::PeerId, Peer*> by_rib_id_;
  bool started_ = false;
  bool stopped_ = false;

  rib::RibChanges changes_;
  bool flush_posted_ = false;
  std::vector<BestPathEvent> pending_best_;
  std::vector<PeerStateEvent> pending_states_;
  SubscriptionId next_subscription_ = 1;
  std::map<SubscriptionId, std::function<void(const std::vector<BestPathEvent>&)>> best_subs_;
  std::map<SubscriptionId, std::function<void(const PeerStateEvent&)>> state_subs_;
  std::vector<SubscriptionId> pending_dumps_;  // new best-path subscribers

  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace kr::bgp::speaker
