// Any BGP message: decoding a framed message by type, and the small fixed
// messages (KEEPALIVE, ROUTE-REFRESH).
//
// Typical session use:
//   auto f = next_frame(rx, opts.extended_message);        // framing.h
//   if (f.status == kError) send(encode_notification(f.error)), close;
//   auto m = decode_message(f.frame, opts);
//   if (!m) send(encode_notification(m.error())), close;
//   std::visit(handler, m.value());
#pragma once

#include <variant>

#include "bgp/codec/framing.h"
#include "bgp/codec/open.h"
#include "bgp/codec/update.h"

namespace kr::bgp {

struct KeepaliveMessage {
  bool operator==(const KeepaliveMessage&) const = default;
};

// RFC 2918 §3.
struct RouteRefreshMessage {
  Family family;
  uint8_t reserved = 0;  // RFC 7313 message subtype; 0 = normal request
  bool operator==(const RouteRefreshMessage&) const = default;
};

using Message =
    std::variant<OpenMessage, UpdateMessage, Notification, KeepaliveMessage, RouteRefreshMessage>;

DecodeResult<Message> decode_message(const Frame& frame, const CodecOptions& opts);

// Convenience for a buffer holding exactly one message: frames then decodes.
DecodeResult<Message> decode_message(ByteSpan message, const CodecOptions& opts);

Bytes encode_keepalive();
Bytes encode_route_refresh(const RouteRefreshMessage& rr);
// Encodes any message (UPDATE via encode_update with `opts`).
Bytes encode_message(const Message& m, const CodecOptions& opts);

}  // namespace kr::bgp
