// The RFC 4271 §8 finite state machine of one BGP session, without I/O.
//
// The FSM is driven by events (start/stop, TCP connected/accepted/closed,
// bytes received, timer expiry) and acts through two interfaces: FsmIo for
// sockets and timers, FsmListener to tell the speaker what happened. The
// Asio transport (session.h) implements FsmIo; unit tests use a fake one with
// a fake clock.
//
// Connections: at most one outgoing and one incoming connection exist at a
// time. When both reach the OPEN exchange, the collision is resolved as in
// RFC 4271 §6.8 / bgp-wire.md §3.2 as soon as either receives the peer's OPEN
// (it carries the BGP identifier the comparison needs); the loser is closed
// without a NOTIFICATION, as GoBGP does.
//
// A TCP failure before the peer's OPEN arrived returns to Active (RFC 4271
// §8.2.2), any other failure to Idle.
//
// Timers and values follow GoBGP as kube-router runs it (bgp-wire.md §4):
// idle hold 0 s before the first start, 5 s after a later return to Idle,
// 30 s after we sent Cease/Administrative Reset; first connect after
// 0.75–1.0 × 2 s, later ones every 0.75–1.0 × ConnectRetry; hold 240 s in
// OpenSent; keepalive every negotiated hold / 3.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "bgp/codec/message.h"
#include "bgp/session/negotiation.h"
#include "bgp/session/session_config.h"
#include "bgp/session/session_state.h"

namespace kr::bgp::session {

// Identifies one TCP connection (or connect attempt) of a session; never 0.
using ConnId = uint64_t;

enum class TimerKind : uint8_t {
  kIdleHold,      // per session (conn 0)
  kConnectRetry,  // per session (conn 0)
  kHold,          // per connection
  kKeepalive,     // per connection
};

struct Endpoints {
  IpAddress local;
  uint16_t local_port = 0;
  IpAddress remote;
  uint16_t remote_port = 0;
};

class FsmIo {
 public:
  virtual ~FsmIo() = default;
  // Begins a TCP connect to the peer; answered later with Fsm::connected()
  // or Fsm::connect_failed() for the same id.
  virtual void start_connect(ConnId id) = 0;
  // Queues one encoded message.
  virtual void send(ConnId id, Bytes message) = 0;
  // Closes the connection once queued messages are written (or cancels the
  // connect in flight). No further events arrive for `id`.
  virtual void close(ConnId id) = 0;
  // (Re)arms a timer; Fsm::timer_expired(kind, id) when it fires.
  virtual void arm_timer(TimerKind kind, ConnId id, std::chrono::milliseconds after) = 0;
  virtual void cancel_timer(TimerKind kind, ConnId id) = 0;
  virtual std::chrono::steady_clock::time_point now() = 0;
  // A random factor in [0.75, 1.0] for connect-retry jitter.
  virtual double jitter() = 0;
};

// Callbacks run inside Fsm calls. They may call Fsm::send_update(), and must
// not destroy the Fsm (defer that to the event loop).
class FsmListener {
 public:
  virtual ~FsmListener() = default;
  virtual void state_changed(SessionState from, SessionState to) = 0;
  virtual void established(const Negotiated& negotiated) = 0;
  virtual void update_received(UpdateMessage&& update) = 0;
  // Only for families the session negotiated (RFC 2918 §4).
  virtual void route_refresh_received(Family family) = 0;
  // The Established session ended.
  virtual void down(const DownInfo& info) = 0;
};

// Message counts per type (index = MessageType value; 0 unused).
struct MessageCounters {
  std::array<uint64_t, 6> sent{};
  std::array<uint64_t, 6> received{};
};

class Fsm {
 public:
  Fsm(SessionConfig config, FsmIo& io, FsmListener& listener);
  Fsm(const Fsm&) = delete;
  Fsm& operator=(const Fsm&) = delete;

  // ManualStart: Idle → (idle hold) → Active and connecting.
  void start();
  // ManualStop: NOTIFICATION `notify` (if any) on every open connection,
  // close them all and stay Idle until start().
  void stop(std::optional<Notification> notify);
  // Sends `notify` on the session's connections, closes them and starts over
  // after the idle hold (30 s for Cease/Administrative Reset).
  void reset(const Notification& notify);
  // Whether future OPENs carry the graceful-restart R and F bits.
  void set_restarting(bool restarting) { restarting_ = restarting; }

  // --- transport events ---
  void connected(ConnId id, const Endpoints& endpoints);
  void connect_failed(ConnId id);
  // An id for an incoming connection, to pass to accept().
  ConnId reserve_id() { return next_id_++; }
  // An incoming connection from the peer's address. False when it is refused
  // (the caller closes the socket; no FsmIo::close() call is made).
  bool accept(ConnId id, const Endpoints& endpoints);
  // Consumes complete messages from `data`; returns how many bytes were used
  // (the rest is an incomplete message to be completed by later bytes).
  std::size_t data_received(ConnId id, ByteSpan data);
  // The peer closed the connection or it failed.
  void connection_closed(ConnId id);
  void timer_expired(TimerKind kind, ConnId id);

  // --- Established ---
  // Sends one encoded UPDATE; false (nothing sent) unless Established.
  bool send_update(Bytes message);

  SessionState state() const { return state_; }
  bool admin_up() const { return admin_up_; }
  // Null unless Established.
  const Negotiated* negotiated() const;
  const SessionConfig& config() const { return config_; }
  const MessageCounters& counters() const { return counters_; }
  // Times the session reached Established.
  uint32_t established_count() const { return established_count_; }
  // When the state last went to or left Established (uptime / downtime).
  std::chrono::steady_clock::time_point last_up_down() const { return last_up_down_; }

 private:
  enum class Phase : uint8_t { kOpenSent, kOpenConfirm, kEstablished };
  struct Conn {
    ConnId id = 0;
    bool outgoing = false;
    Phase phase = Phase::kOpenSent;
    Endpoints endpoints;
    Negotiated negotiated;
    std::chrono::steady_clock::time_point last_rx;
  };

  Conn* find(ConnId id);
  Conn* established_conn();
  void open_connection(ConnId id, bool outgoing, const Endpoints& endpoints);
  void send(Conn& c, Bytes message, MessageType type);
  void handle_frame(ConnId id, const Frame& frame);
  void on_open(ConnId id, const Frame& frame);
  void on_keepalive_in_open_confirm(Conn& c);
  void on_established_frame(Conn& c, const Frame& frame);
  // Resolves a collision between `c` (which just got `open`) and the other
  // connection, if any; returns false when `c` lost and was closed.
  bool survives_collision(Conn& c, const OpenMessage& open);
  // Closes one connection; when it was the session's last or Established one
  // the session goes down and back to Idle.
  void fail(ConnId id, DownInfo info);
  void drop_connection(ConnId id);
  void enter_idle(std::chrono::milliseconds hold);
  void update_state();
  SessionState compute_state() const;

  SessionConfig config_;
  FsmIo& io_;
  FsmListener& listener_;
  std::vector<Conn> conns_;  // at most two
  ConnId connecting_ = 0;    // outgoing connect in flight
  ConnId next_id_ = 1;
  bool admin_up_ = false;
  bool idle_hold_pending_ = false;
  bool started_before_ = false;
  bool restarting_ = false;
  SessionState state_ = SessionState::kIdle;
  MessageCounters counters_;
  uint32_t established_count_ = 0;
  std::chrono::steady_clock::time_point last_up_down_{};
};

}  // namespace kr::bgp::session
