#include "bgp/codec/message.h"

#include <fmt/format.h>

namespace kr::bgp {

std::string Family::to_string() const {
  if (is_ipv4_unicast()) return "ipv4-unicast";
  if (is_ipv6_unicast()) return "ipv6-unicast";
  return fmt::format("afi{}/safi{}", afi, safi);
}

DecodeResult<Message> decode_message(const Frame& frame, const CodecOptions& opts) {
  const ByteSpan body = frame.body();
  switch (frame.type) {
    case MessageType::kOpen: {
      auto open = decode_open_body(body);
      if (!open) return open.error();
      return DecodeResult<Message>(std::in_place, std::move(open.value()));
    }
    case MessageType::kUpdate: {
      auto update = decode_update_body(body, opts);
      if (!update) return update.error();
      return DecodeResult<Message>(std::in_place, std::move(update.value()));
    }
    case MessageType::kNotification:
      return DecodeResult<Message>(std::in_place, decode_notification_body(body));
    case MessageType::kKeepalive:
      return DecodeResult<Message>(std::in_place, KeepaliveMessage{});
    case MessageType::kRouteRefresh: {
      ByteReader r(body);
      RouteRefreshMessage rr;
      r.u16(rr.family.afi);
      r.u8(rr.reserved);
      r.u8(rr.family.safi);
      return DecodeResult<Message>(std::in_place, rr);
    }
  }
  return make_error(err::kHeader, err::kBadMessageType, {static_cast<uint8_t>(frame.type)});
}

DecodeResult<Message> decode_message(ByteSpan message, const CodecOptions& opts) {
  FrameResult f = next_frame(message, opts.extended_message);
  if (f.status == FrameResult::Status::kError) return f.error;
  if (f.status == FrameResult::Status::kNeedMore || f.frame.message.size() != message.size()) {
    // The buffer disagrees with the length field: RFC 4271 §6.1.
    return make_error(err::kHeader, err::kBadMessageLength,
                      message.size() >= 18 ? Bytes{message[16], message[17]} : Bytes{});
  }
  return decode_message(f.frame, opts);
}

Bytes encode_keepalive() {
  Bytes out = begin_message(MessageType::kKeepalive);
  finish_message(out);
  return out;
}

Bytes encode_route_refresh(const RouteRefreshMessage& rr) {
  Bytes out = begin_message(MessageType::kRouteRefresh);
  put_u16(out, rr.family.afi);
  put_u8(out, rr.reserved);
  put_u8(out, rr.family.safi);
  finish_message(out);
  return out;
}

Bytes encode_message(const Message& m, const CodecOptions& opts) {
  struct Visitor {
    const CodecOptions& opts;
    Bytes operator()(const OpenMessage& o) const { return encode_open(o); }
    Bytes operator()(const UpdateMessage& u) const { return encode_update(u, opts); }
    Bytes operator()(const Notification& n) const { return encode_notification(n); }
    Bytes operator()(const KeepaliveMessage& /*keepalive*/) const { return encode_keepalive(); }
    Bytes operator()(const RouteRefreshMessage& rr) const { return encode_route_refresh(rr); }
  };
  return std::visit(Visitor{opts}, m);
}

}  // namespace kr::bgp
