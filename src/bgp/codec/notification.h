// NOTIFICATION messages (RFC 4271 §4.5) and the decode-result type that
// carries "the NOTIFICATION to send" when a received message is unusable.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "bgp/codec/bytes.h"
#include "bgp/codec/constants.h"

namespace kr::bgp {

struct Notification {
  uint8_t code = 0;
  uint8_t subcode = 0;
  Bytes data;

  // Cease/Administrative Shutdown or Reset carrying an RFC 8203/9003 shutdown
  // communication: one length byte followed by UTF-8 text (at most 255 bytes,
  // longer text is truncated at a character boundary).
  static Notification cease_with_communication(uint8_t subcode, std::string_view text);

  // The shutdown communication, when this is Cease/2 or Cease/4 and data holds
  // a well-formed length-prefixed text; nullopt otherwise (RFC 9003 §2: a
  // malformed communication is ignored, the NOTIFICATION itself still counts).
  std::optional<std::string> shutdown_communication() const;
  // "code/subcode (name)" for logs.
  std::string describe() const;

  bool operator==(const Notification&) const = default;
};

Bytes encode_notification(const Notification& n);
// `body` is the message after the 19-byte header. A NOTIFICATION is never
// answered with another one (RFC 4271 §6.4), so this cannot fail: the
// framing layer already enforced the minimum length of 21.
Notification decode_notification_body(ByteSpan body);

// Either a decoded value or the NOTIFICATION that must be sent before closing
// the session.
template <class T>
class DecodeResult {
 public:
  DecodeResult(T value) : v_(std::in_place_index<0>, std::move(value)) {}             // NOLINT
  DecodeResult(Notification error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT
  // Builds the value in place (avoids moving a variant T into the result).
  template <class... Args>
  explicit DecodeResult(std::in_place_t /*tag*/, Args&&... args)
      : v_(std::in_place_index<0>, std::forward<Args>(args)...) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  const Notification& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Notification> v_;
};

inline Notification make_error(uint8_t code, uint8_t subcode, Bytes data = {}) {
  return Notification{code, subcode, std::move(data)};
}

}  // namespace kr::bgp
