#include "bgp/session/fsm.h"

#include <algorithm>

#include "base/log.h"

namespace kr::bgp::session {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr seconds kIdleHoldAfterError{5};
constexpr seconds kIdleHoldAfterAdminReset{30};
constexpr seconds kFirstConnectDelay{2};
constexpr seconds kOpenSentHoldTime{240};

// RFC 6608 FSM error subcodes.
constexpr uint8_t kUnexpectedInOpenSent = 1;
constexpr uint8_t kUnexpectedInOpenConfirm = 2;
constexpr uint8_t kUnexpectedInEstablished = 3;

bool is_loopback(const IpAddress& a) {
  if (!a.v6) return a.bytes[0] == 127;
  return a == IpAddress::parse("::1").value();
}

milliseconds jittered(seconds base, double factor) {
  return milliseconds(static_cast<int64_t>(static_cast<double>(base.count()) * 1000.0 * factor));
}

std::size_t type_index(MessageType t) { return static_cast<std::size_t>(t); }

}  // namespace

Fsm::Fsm(SessionConfig config, FsmIo& io, FsmListener& listener)
    : config_(std::move(config)), io_(io), listener_(listener) {}

const Negotiated* Fsm::negotiated() const {
  for (const Conn& c : conns_) {
    if (c.phase == Phase::kEstablished) return &c.negotiated;
  }
  return nullptr;
}

Fsm::Conn* Fsm::find(ConnId id) {
  auto it = std::find_if(conns_.begin(), conns_.end(), [&](const Conn& c) { return c.id == id; });
  return it == conns_.end() ? nullptr : &*it;
}

Fsm::Conn* Fsm::established_conn() {
  for (Conn& c : conns_) {
    if (c.phase == Phase::kEstablished) return &c;
  }
  return nullptr;
}

void Fsm::start() {
  if (admin_up_) return;
  admin_up_ = true;
  enter_idle(started_before_ ? milliseconds(kIdleHoldAfterError) : milliseconds(0));
  started_before_ = true;
  update_state();
}

void Fsm::stop(std::optional<Notification> notify) {
  admin_up_ = false;
  idle_hold_pending_ = false;
  io_.cancel_timer(TimerKind::kIdleHold, 0);
  io_.cancel_timer(TimerKind::kConnectRetry, 0);
  if (connecting_ != 0) io_.close(connecting_);
  connecting_ = 0;
  const bool was_established = established_conn() != nullptr;
  std::vector<ConnId> ids;
  for (const Conn& c : conns_) ids.push_back(c.id);
  for (ConnId id : ids) {
    if (notify) send(*find(id), encode_notification(*notify), MessageType::kNotification);
    drop_connection(id);
  }
  update_state();
  if (was_established) {
    last_up_down_ = io_.now();
    listener_.down(DownInfo{DownReason::kAdminStop, notify});
  }
}

void Fsm::reset(const Notification& notify) {
  if (!admin_up_) return;
  if (conns_.empty()) {
    enter_idle(notify.code == err::kCease && notify.subcode == err::kAdministrativeReset
                   ? milliseconds(kIdleHoldAfterAdminReset)
                   : milliseconds(kIdleHoldAfterError));
    update_state();
    return;
  }
  // Established first, so the session-down path runs once.
  std::vector<ConnId> ids;
  if (const Conn* e = established_conn()) ids.push_back(e->id);
  for (const Conn& c : conns_) {
    if (c.phase != Phase::kEstablished) ids.push_back(c.id);
  }
  for (ConnId id : ids) {
    if (find(id) != nullptr) fail(id, DownInfo{DownReason::kNotificationSent, notify});
  }
}

void Fsm::enter_idle(milliseconds hold) {
  idle_hold_pending_ = true;
  io_.cancel_timer(TimerKind::kConnectRetry, 0);
  if (connecting_ != 0) io_.close(connecting_);
  connecting_ = 0;
  io_.arm_timer(TimerKind::kIdleHold, 0, hold);
}

void Fsm::open_connection(ConnId id, bool outgoing, const Endpoints& endpoints) {
  Conn c;
  c.id = id;
  c.outgoing = outgoing;
  c.endpoints = endpoints;
  c.last_rx = io_.now();
  conns_.push_back(c);
  Conn& added = conns_.back();
  // No delay-open: OPEN goes out as soon as TCP is up (bgp-wire.md §4).
  send(added, encode_open(build_open(config_, restarting_)), MessageType::kOpen);
  io_.arm_timer(TimerKind::kHold, added.id, kOpenSentHoldTime);
}

void Fsm::connected(ConnId id, const Endpoints& endpoints) {
  if (id != connecting_) {
    io_.close(id);
    return;
  }
  connecting_ = 0;
  const bool outgoing_exists =
      std::any_of(conns_.begin(), conns_.end(), [](const Conn& c) { return c.outgoing; });
  if (!admin_up_ || idle_hold_pending_ || established_conn() != nullptr || outgoing_exists) {
    io_.close(id);
    update_state();
    return;
  }
  // The connect-retry cycle ends here; a failure from now on goes via Idle.
  io_.cancel_timer(TimerKind::kConnectRetry, 0);
  open_connection(id, true, endpoints);
  update_state();
}

void Fsm::connect_failed(ConnId id) {
  if (id != connecting_) return;
  connecting_ = 0;
  KR_V(2, "bgp peer {}: connect failed, retrying later", config_.peer_address.to_string());
  update_state();
}

bool Fsm::accept(ConnId id, const Endpoints& endpoints) {
  if (!admin_up_ || idle_hold_pending_ || established_conn() != nullptr) return false;
  if (std::any_of(conns_.begin(), conns_.end(), [](const Conn& c) { return !c.outgoing; })) {
    return false;
  }
  // bgp-wire.md §3.1: a configured local address must be the one the
  // connection arrived on ("Mismatched local address" in GoBGP).
  if (config_.local_address && endpoints.local != *config_.local_address) return false;
  open_connection(id, false, endpoints);
  update_state();
  return true;
}

std::size_t Fsm::data_received(ConnId id, ByteSpan data) {
  std::size_t used = 0;
  while (find(id) != nullptr) {
    FrameResult f = next_frame(data.subspan(used), /*extended_message=*/false);
    if (f.status == FrameResult::Status::kNeedMore) break;
    if (f.status == FrameResult::Status::kError) {
      fail(id, DownInfo{DownReason::kNotificationSent, f.error});
      return data.size();
    }
    used += f.frame.message.size();
    Conn* c = find(id);
    c->last_rx = io_.now();
    const std::size_t t = type_index(f.frame.type);
    if (t < counters_.received.size()) ++counters_.received[t];
    handle_frame(id, f.frame);
  }
  return find(id) != nullptr ? used : data.size();
}

void Fsm::handle_frame(ConnId id, const Frame& frame) {
  Conn& c = *find(id);
  if (frame.type == MessageType::kNotification) {
    fail(id, DownInfo{DownReason::kNotificationReceived, decode_notification_body(frame.body())});
    return;
  }
  switch (c.phase) {
    case Phase::kOpenSent:
      if (frame.type == MessageType::kOpen) {
        on_open(id, frame);
      } else {
        fail(id,
             DownInfo{DownReason::kNotificationSent, make_error(err::kFsm, kUnexpectedInOpenSent)});
      }
      return;
    case Phase::kOpenConfirm:
      if (frame.type == MessageType::kKeepalive) {
        on_keepalive_in_open_confirm(c);
      } else {
        fail(id, DownInfo{DownReason::kNotificationSent,
                          make_error(err::kFsm, kUnexpectedInOpenConfirm)});
      }
      return;
    case Phase::kEstablished:
      on_established_frame(c, frame);
      return;
  }
}

void Fsm::on_open(ConnId id, const Frame& frame) {
  DecodeResult<OpenMessage> open = decode_open_body(frame.body());
  if (!open) {
    fail(id, DownInfo{DownReason::kNotificationSent, open.error()});
    return;
  }
  const OpenExpectations exp{config_.local_as, config_.router_id, config_.peer_as};
  if (auto error = validate_open(open.value(), exp)) {
    KR_WARN("bgp peer {}: rejecting OPEN: {}", config_.peer_address.to_string(), error->describe());
    fail(id, DownInfo{DownReason::kNotificationSent, *error});
    return;
  }
  Conn& c = *find(id);
  if (!survives_collision(c, open.value())) return;
  Conn& kept = *find(id);
  kept.negotiated = negotiate(config_, open.value());
  Negotiated& n = kept.negotiated;
  n.local_address = kept.endpoints.local;
  n.local_port = kept.endpoints.local_port;
  n.peer_address = kept.endpoints.remote;
  n.peer_port = kept.endpoints.remote_port;
  // GoBGP accepts loopback next hops only on loopback sessions.
  n.codec.allow_loopback_next_hop = is_loopback(kept.endpoints.local);
  send(kept, encode_keepalive(), MessageType::kKeepalive);
  kept.phase = Phase::kOpenConfirm;
  if (n.hold_time == 0) {
    io_.cancel_timer(TimerKind::kHold, id);
  } else {
    io_.arm_timer(TimerKind::kHold, id, seconds(n.hold_time));
  }
  if (n.keepalive.count() > 0) io_.arm_timer(TimerKind::kKeepalive, id, n.keepalive);
  update_state();
}

bool Fsm::survives_collision(Conn& c, const OpenMessage& open) {
  auto other =
      std::find_if(conns_.begin(), conns_.end(), [&](const Conn& o) { return o.id != c.id; });
  if (other == conns_.end()) return true;
  // RFC 4271 §6.8: the higher BGP identifier keeps the connection it
  // initiated; on equal identifiers the larger AS does (bgp-wire.md §3.2).
  bool keep_ours;
  if (config_.router_id != open.bgp_id) {
    keep_ours = config_.router_id > open.bgp_id;
  } else {
    keep_ours = config_.local_as > open.asn();
  }
  const ConnId loser = (c.outgoing == keep_ours) ? other->id : c.id;
  const ConnId self = c.id;
  KR_V(1, "bgp peer {}: connection collision, closing the {} connection",
       config_.peer_address.to_string(), loser == self ? "new" : "other");
  drop_connection(loser);
  return loser != self;
}

void Fsm::on_keepalive_in_open_confirm(Conn& c) {
  c.phase = Phase::kEstablished;
  const ConnId id = c.id;
  // One session per peer: any other connection is redundant now.
  std::vector<ConnId> others;
  for (const Conn& o : conns_) {
    if (o.id != id) others.push_back(o.id);
  }
  for (ConnId o : others) drop_connection(o);
  if (connecting_ != 0) io_.close(connecting_);
  connecting_ = 0;
  io_.cancel_timer(TimerKind::kConnectRetry, 0);
  ++established_count_;
  last_up_down_ = io_.now();
  update_state();
  if (Conn* e = find(id)) listener_.established(e->negotiated);
}

void Fsm::on_established_frame(Conn& c, const Frame& frame) {
  const ConnId id = c.id;
  switch (frame.type) {
    case MessageType::kKeepalive:
      return;
    case MessageType::kUpdate: {
      DecodeResult<UpdateMessage> u = decode_update_body(frame.body(), c.negotiated.codec);
      if (!u) {
        fail(id, DownInfo{DownReason::kNotificationSent, u.error()});
        return;
      }
      if (u.value().error_action != ErrorAction::kNone) {
        KR_WARN("bgp peer {}: malformed UPDATE handled per RFC 7606: {}",
                config_.peer_address.to_string(), u.value().error_detail);
      }
      listener_.update_received(std::move(u.value()));
      return;
    }
    case MessageType::kRouteRefresh: {
      DecodeResult<Message> m = decode_message(frame, c.negotiated.codec);
      if (!m) {
        fail(id, DownInfo{DownReason::kNotificationSent, m.error()});
        return;
      }
      const Family f = std::get<RouteRefreshMessage>(m.value()).family;
      // RFC 2918 §4: a family not negotiated is ignored.
      if (c.negotiated.has_family(f)) listener_.route_refresh_received(f);
      return;
    }
    default:
      fail(id, DownInfo{DownReason::kNotificationSent,
                        make_error(err::kFsm, kUnexpectedInEstablished)});
      return;
  }
}

void Fsm::send(Conn& c, Bytes message, MessageType type) {
  ++counters_.sent[type_index(type)];
  io_.send(c.id, std::move(message));
}

bool Fsm::send_update(Bytes message) {
  Conn* c = established_conn();
  if (c == nullptr) return false;
  send(*c, std::move(message), MessageType::kUpdate);
  return true;
}

void Fsm::drop_connection(ConnId id) {
  io_.cancel_timer(TimerKind::kHold, id);
  io_.cancel_timer(TimerKind::kKeepalive, id);
  io_.close(id);
  std::erase_if(conns_, [&](const Conn& c) { return c.id == id; });
}

void Fsm::fail(ConnId id, DownInfo info) {
  Conn* c = find(id);
  if (c == nullptr) return;
  const bool was_established = c->phase == Phase::kEstablished;
  const bool lost_in_open_sent =
      c->phase == Phase::kOpenSent && info.reason == DownReason::kConnectionLost;
  if (info.reason == DownReason::kNotificationSent ||
      info.reason == DownReason::kHoldTimerExpired) {
    send(*c, encode_notification(*info.notification), MessageType::kNotification);
  }
  if (was_established || info.reason != DownReason::kConnectionLost) {
    KR_INFO("bgp peer {}: {} connection closed: {}", config_.peer_address.to_string(),
            was_established ? "established" : "opening", info.describe());
  }
  drop_connection(id);
  if (!was_established && !conns_.empty()) {
    update_state();
    return;
  }
  if (lost_in_open_sent && admin_up_) {
    // RFC 4271 §8.2.2 (OpenSent, TcpConnectionFails): back to Active, keep
    // accepting and retry after ConnectRetry. Going Idle instead makes two
    // speakers that refuse connections while idle miss each other over and
    // over (each one's connect lands in the other's idle hold).
    if (!config_.passive) {
      io_.arm_timer(TimerKind::kConnectRetry, 0, jittered(config_.connect_retry, io_.jitter()));
    }
    update_state();
    return;
  }
  const bool admin_reset = info.reason == DownReason::kNotificationSent && info.notification &&
                           info.notification->code == err::kCease &&
                           info.notification->subcode == err::kAdministrativeReset;
  if (admin_up_) {
    enter_idle(admin_reset ? milliseconds(kIdleHoldAfterAdminReset)
                           : milliseconds(kIdleHoldAfterError));
  }
  if (was_established) last_up_down_ = io_.now();
  // The state change is reported before the session-down event.
  update_state();
  if (was_established) listener_.down(info);
}

void Fsm::connection_closed(ConnId id) {
  if (id == connecting_) {
    connect_failed(id);
    return;
  }
  fail(id, DownInfo{DownReason::kConnectionLost, std::nullopt});
}

void Fsm::timer_expired(TimerKind kind, ConnId id) {
  switch (kind) {
    case TimerKind::kIdleHold:
      if (!admin_up_ || !idle_hold_pending_) return;
      idle_hold_pending_ = false;
      if (!config_.passive) {
        const seconds first = std::min<seconds>(kFirstConnectDelay, config_.connect_retry);
        io_.arm_timer(TimerKind::kConnectRetry, 0, jittered(first, io_.jitter()));
      }
      update_state();
      return;
    case TimerKind::kConnectRetry: {
      if (!admin_up_ || idle_hold_pending_ || established_conn() != nullptr) return;
      const bool outgoing_exists =
          std::any_of(conns_.begin(), conns_.end(), [](const Conn& c) { return c.outgoing; });
      if (connecting_ == 0 && !outgoing_exists) {
        connecting_ = next_id_++;
        io_.start_connect(connecting_);
      }
      io_.arm_timer(TimerKind::kConnectRetry, 0, jittered(config_.connect_retry, io_.jitter()));
      update_state();
      return;
    }
    case TimerKind::kHold: {
      Conn* c = find(id);
      if (c == nullptr) return;
      if (c->phase != Phase::kOpenSent) {
        // The timer restarts on every message received (RFC 4271 §8.2.2);
        // rather than re-arming per message, check the last arrival here.
        const auto hold = seconds(c->negotiated.hold_time);
        if (hold.count() == 0) return;
        const auto deadline = c->last_rx + hold;
        const auto now = io_.now();
        if (now < deadline) {
          io_.arm_timer(TimerKind::kHold, id, std::chrono::ceil<milliseconds>(deadline - now));
          return;
        }
      }
      fail(id, DownInfo{DownReason::kHoldTimerExpired, make_error(err::kHoldTimerExpired, 0)});
      return;
    }
    case TimerKind::kKeepalive: {
      Conn* c = find(id);
      if (c == nullptr || c->phase == Phase::kOpenSent) return;
      send(*c, encode_keepalive(), MessageType::kKeepalive);
      io_.arm_timer(TimerKind::kKeepalive, id, c->negotiated.keepalive);
      return;
    }
  }
}

SessionState Fsm::compute_state() const {
  bool open_sent = false;
  bool open_confirm = false;
  for (const Conn& c : conns_) {
    if (c.phase == Phase::kEstablished) return SessionState::kEstablished;
    open_sent |= c.phase == Phase::kOpenSent;
    open_confirm |= c.phase == Phase::kOpenConfirm;
  }
  if (!admin_up_ || idle_hold_pending_) return SessionState::kIdle;
  if (open_confirm) return SessionState::kOpenConfirm;
  if (open_sent) return SessionState::kOpenSent;
  if (connecting_ != 0) return SessionState::kConnect;
  return SessionState::kActive;
}

void Fsm::update_state() {
  const SessionState next = compute_state();
  if (next == state_) return;
  const SessionState prev = state_;
  state_ = next;
  KR_V(2, "bgp peer {}: {} -> {}", config_.peer_address.to_string(), state_name(prev),
       state_name(next));
  listener_.state_changed(prev, next);
}

}  // namespace kr::bgp::session
