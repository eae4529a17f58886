#include "bgp/codec/notification.h"

#include <fmt/format.h>

#include "bgp/codec/framing.h"

namespace kr::bgp {
namespace {

const char* code_name(uint8_t code) {
  switch (code) {
    case err::kHeader:
      return "Message Header Error";
    case err::kOpen:
      return "OPEN Message Error";
    case err::kUpdate:
      return "UPDATE Message Error";
    case err::kHoldTimerExpired:
      return "Hold Timer Expired";
    case err::kFsm:
      return "Finite State Machine Error";
    case err::kCease:
      return "Cease";
    default:
      return "Unknown";
  }
}

bool has_communication(const Notification& n) {
  return n.code == err::kCease &&
         (n.subcode == err::kAdministrativeShutdown || n.subcode == err::kAdministrativeReset);
}

}  // namespace

Notification Notification::cease_with_communication(uint8_t subcode, std::string_view text) {
  std::size_t len = std::min<std::size_t>(text.size(), 255);
  // Do not cut a UTF-8 sequence in half: back up over continuation bytes.
  while (len < text.size() && len > 0 && (static_cast<uint8_t>(text[len]) & 0xC0) == 0x80) {
    --len;
  }
  Notification n{err::kCease, subcode, Bytes(len + 1)};
  n.data[0] = static_cast<uint8_t>(len);
  for (std::size_t i = 0; i < len; ++i) n.data[i + 1] = static_cast<uint8_t>(text[i]);
  return n;
}

std::optional<std::string> Notification::shutdown_communication() const {
  if (!has_communication(*this) || data.empty()) return std::nullopt;
  std::size_t len = data[0];
  if (len + 1 > data.size()) return std::nullopt;
  return std::string(data.begin() + 1, data.begin() + 1 + static_cast<std::ptrdiff_t>(len));
}

std::string Notification::describe() const {
  std::string s = fmt::format("{}/{} ({})", code, subcode, code_name(code));
  if (auto text = shutdown_communication()) s += fmt::format(" \"{}\"", *text);
  return s;
}

Bytes encode_notification(const Notification& n) {
  Bytes out = begin_message(MessageType::kNotification);
  put_u8(out, n.code);
  put_u8(out, n.subcode);
  put_bytes(out, n.data);
  finish_message(out);
  return out;
}

Notification decode_notification_body(ByteSpan body) {
  Notification n;
  ByteReader r(body);
  r.u8(n.code);
  r.u8(n.subcode);
  ByteSpan rest = r.rest();
  n.data.assign(rest.begin(), rest.end());
  return n;
}

}  // namespace kr::bgp
