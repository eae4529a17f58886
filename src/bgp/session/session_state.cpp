#include "bgp/session/session_state.h"

namespace kr::bgp::session {

const char* state_name(SessionState s) {
  switch (s) {
    case SessionState::kIdle:
      return "idle";
    case SessionState::kConnect:
      return "connect";
    case SessionState::kActive:
      return "active";
    case SessionState::kOpenSent:
      return "opensent";
    case SessionState::kOpenConfirm:
      return "openconfirm";
    case SessionState::kEstablished:
      return "established";
  }
  return "unknown";
}

const char* down_reason_name(DownReason r) {
  switch (r) {
    case DownReason::kAdminStop:
      return "administratively stopped";
    case DownReason::kNotificationSent:
      return "notification sent";
    case DownReason::kNotificationReceived:
      return "notification received";
    case DownReason::kHoldTimerExpired:
      return "hold timer expired";
    case DownReason::kConnectionLost:
      return "connection lost";
  }
  return "unknown";
}

std::string DownInfo::describe() const {
  std::string s = down_reason_name(reason);
  if (notification) s += " " + notification->describe();
  return s;
}

}  // namespace kr::bgp::session
