// Message header framing (RFC 4271 §4.1, §6.1; RFC 8654 for extended messages).
//
// A session feeds its receive buffer to next_frame() and gets back: "need more
// bytes", one complete message, or the NOTIFICATION to send. Lengths are
// checked per message type before any body byte is looked at.
#pragma once

#include "bgp/codec/bytes.h"
#include "bgp/codec/constants.h"
#include "bgp/codec/notification.h"

namespace kr::bgp {

struct Frame {
  MessageType type = MessageType::kKeepalive;
  // The whole message, header included.
  ByteSpan message;
  ByteSpan body() const { return message.subspan(kHeaderSize); }
};

struct FrameResult {
  enum class Status { kNeedMore, kFrame, kError };
  Status status = Status::kNeedMore;
  Frame frame;
  Notification error;
};

// Looks at the start of `buffer`. `extended_message` is true once both sides
// advertised RFC 8654 support; it raises the limit for UPDATE, NOTIFICATION
// and ROUTE-REFRESH only.
FrameResult next_frame(ByteSpan buffer, bool extended_message);

// The largest length a message of `type` may have.
std::size_t max_message_size(MessageType type, bool extended_message);

// Starts a message: marker plus length placeholder plus type.
Bytes begin_message(MessageType type);
// Writes the final length into the header.
void finish_message(Bytes& message);

}  // namespace kr::bgp
