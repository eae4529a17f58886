#include "bgp/codec/framing.h"

namespace kr::bgp {
namespace {

// Smallest legal length per type (RFC 4271 §4.2-§4.5, RFC 2918 §3).
std::size_t min_message_size(MessageType type) {
  switch (type) {
    case MessageType::kOpen:
      return 29;
    case MessageType::kUpdate:
      return 23;
    case MessageType::kNotification:
      return 21;
    case MessageType::kKeepalive:
      return 19;
    case MessageType::kRouteRefresh:
      return 23;
  }
  return kHeaderSize;
}

}  // namespace

std::size_t max_message_size(MessageType type, bool extended_message) {
  switch (type) {
    case MessageType::kKeepalive:
      return 19;
    case MessageType::kRouteRefresh:
      // RFC 2918 fixes the body at 4 bytes; RFC 7313 (enhanced) is not spoken.
      return 23;
    case MessageType::kOpen:
      return kMaxMessageSize;
    case MessageType::kUpdate:
    case MessageType::kNotification:
      return extended_message ? kMaxExtendedMessageSize : kMaxMessageSize;
  }
  return kMaxMessageSize;
}

FrameResult next_frame(ByteSpan buffer, bool extended_message) {
  FrameResult result;
  if (buffer.size() < kHeaderSize) return result;
  for (std::size_t i = 0; i < kMarkerSize; ++i) {
    if (buffer[i] != 0xFF) {
      result.status = FrameResult::Status::kError;
      result.error = make_error(err::kHeader, err::kConnectionNotSynchronized);
      return result;
    }
  }
  const std::size_t length = (std::size_t{buffer[16]} << 8) | buffer[17];
  const uint8_t type = buffer[18];
  // RFC 4271 §6.1 order: the length bounds first, then the type, then the
  // per-type bounds. The Data field of a length error is the Length field.
  const std::size_t any_max = extended_message ? kMaxExtendedMessageSize : kMaxMessageSize;
  if (length < kHeaderSize || length > any_max) {
    result.status = FrameResult::Status::kError;
    result.error = make_error(err::kHeader, err::kBadMessageLength, {buffer[16], buffer[17]});
    return result;
  }
  if (type < 1 || type > 5) {
    result.status = FrameResult::Status::kError;
    result.error = make_error(err::kHeader, err::kBadMessageType, {type});
    return result;
  }
  const auto mtype = static_cast<MessageType>(type);
  if (length < min_message_size(mtype) || length > max_message_size(mtype, extended_message)) {
    result.status = FrameResult::Status::kError;
    result.error = make_error(err::kHeader, err::kBadMessageLength, {buffer[16], buffer[17]});
    return result;
  }
  if (buffer.size() < length) return result;
  result.status = FrameResult::Status::kFrame;
  result.frame.type = mtype;
  result.frame.message = buffer.first(length);
  return result;
}

Bytes begin_message(MessageType type) {
  Bytes out(kMarkerSize, 0xFF);
  out.reserve(64);
  put_u16(out, 0);
  put_u8(out, static_cast<uint8_t>(type));
  return out;
}

void finish_message(Bytes& message) {
  patch_u16(message, kMarkerSize, static_cast<uint16_t>(message.size()));
}

}  // namespace kr::bgp
