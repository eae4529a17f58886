// The RFC 4271 §8.2.2 session states as this speaker reports them, and why a
// session left Established.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "bgp/codec/notification.h"

namespace kr::bgp::session {

enum class SessionState : uint8_t {
  kIdle,
  kConnect,  // an outgoing TCP connect is in flight
  kActive,   // waiting for the next connect attempt or an incoming connection
  kOpenSent,
  kOpenConfirm,
  kEstablished,
};

// "idle", "connect", "active", "opensent", "openconfirm", "established": the
// lower-case names kube-router's bgp_peer_info metric uses (routing.md §13).
const char* state_name(SessionState s);

enum class DownReason : uint8_t {
  kAdminStop,             // stopped or removed locally
  kNotificationSent,      // we found an error and told the peer
  kNotificationReceived,  // the peer told us about an error
  kHoldTimerExpired,      // the peer went silent (NOTIFICATION 4/0 sent)
  kConnectionLost,        // TCP closed or failed without a NOTIFICATION
};

const char* down_reason_name(DownReason r);

struct DownInfo {
  DownReason reason = DownReason::kConnectionLost;
  std::optional<Notification> notification;  // the one sent or received

  // RFC 4724 §4.2: the helper keeps the peer's routes only when the session
  // ended without a NOTIFICATION exchange (hold timer expiry included, as
  // GoBGP does; bgp-wire.md §10).
  bool keeps_routes_for_graceful_restart() const {
    return reason == DownReason::kConnectionLost || reason == DownReason::kHoldTimerExpired;
  }
  std::string describe() const;
};

}  // namespace kr::bgp::session
