#include "bgp/codec/open.h"

#include "bgp/codec/framing.h"

namespace kr::bgp {
namespace {

constexpr uint8_t kParamCapabilities = 2;

}  // namespace

void OpenMessage::set_asn(uint32_t asn) {
  my_as = static_cast<uint16_t>(asn > 0xFFFF ? kAsTrans : asn);
  capabilities.four_octet_as = asn;
}

Bytes encode_open(const OpenMessage& open) {
  Bytes out = begin_message(MessageType::kOpen);
  put_u8(out, open.version);
  put_u16(out, open.my_as);
  put_u16(out, open.hold_time);
  put_u32(out, open.bgp_id);
  const std::size_t params_len_at = out.size();
  put_u8(out, 0);
  Bytes caps;
  encode_capabilities(open.capabilities, caps);
  if (!caps.empty()) {
    put_u8(out, kParamCapabilities);
    put_u8(out, static_cast<uint8_t>(caps.size()));
    put_bytes(out, caps);
  }
  for (const auto& p : open.other_params) {
    put_u8(out, p.type);
    put_u8(out, static_cast<uint8_t>(p.value.size()));
    put_bytes(out, p.value);
  }
  out[params_len_at] = static_cast<uint8_t>(out.size() - params_len_at - 1);
  finish_message(out);
  return out;
}

DecodeResult<OpenMessage> decode_open_body(ByteSpan body) {
  OpenMessage open;
  ByteReader r(body);
  uint8_t params_len = 0;
  if (!r.u8(open.version) || !r.u16(open.my_as) || !r.u16(open.hold_time) || !r.u32(open.bgp_id) ||
      !r.u8(params_len)) {
    return make_error(err::kHeader, err::kBadMessageLength);
  }
  // The parameters must fill the rest of the message exactly.
  if (params_len != r.remaining()) return make_error(err::kOpen, err::kUnspecific);
  while (!r.empty()) {
    uint8_t type = 0;
    uint8_t len = 0;
    ByteSpan value;
    if (!r.u8(type) || !r.u8(len) || !r.take(len, value)) {
      return make_error(err::kOpen, err::kUnspecific);
    }
    if (type == kParamCapabilities) {
      if (!decode_capabilities(value, open.capabilities)) {
        return make_error(err::kOpen, err::kUnspecific);
      }
    } else {
      open.other_params.push_back({type, Bytes(value.begin(), value.end())});
    }
  }
  return open;
}

std::optional<Notification> validate_open(const OpenMessage& open, const OpenExpectations& exp) {
  if (open.version != 4) {
    // RFC 4271 §6.2: data is the largest supported version, 2 bytes.
    return make_error(err::kOpen, err::kUnsupportedVersion, {0, 4});
  }
  const uint32_t asn = open.asn();
  if (open.bgp_id == 0 || (asn == exp.local_as && open.bgp_id == exp.local_id)) {
    return make_error(err::kOpen, err::kBadBgpIdentifier);
  }
  if (exp.peer_as != 0 && asn != exp.peer_as) return make_error(err::kOpen, err::kBadPeerAs);
  if (open.hold_time == 1 || open.hold_time == 2) {
    return make_error(err::kOpen, err::kUnacceptableHoldTime);
  }
  return std::nullopt;
}

}  // namespace kr::bgp
