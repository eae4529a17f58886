#include "bgp/codec/update.h"

#include "bgp/codec/attr_codec.h"
#include "bgp/codec/framing.h"
#include "bgp/codec/nlri.h"

namespace kr::bgp {
namespace {

// RFC 7606 §3 d: ORIGIN and AS_PATH are mandatory whenever the UPDATE carries
// reachability; NEXT_HOP only with classic NLRI.
void check_mandatory(const UpdateMessage& u, detail::AttrDecodeResult& d) {
  const bool has_mp_reach = d.mp_reach.has_value();
  if (!has_mp_reach && u.nlri.empty()) return;
  uint8_t missing = 0;
  if (!d.seen.test(static_cast<uint8_t>(AttrType::kOrigin))) {
    missing = static_cast<uint8_t>(AttrType::kOrigin);
  } else if (!d.seen.test(static_cast<uint8_t>(AttrType::kAsPath))) {
    missing = static_cast<uint8_t>(AttrType::kAsPath);
  } else if (!u.nlri.empty() && !d.seen.test(static_cast<uint8_t>(AttrType::kNextHop))) {
    missing = static_cast<uint8_t>(AttrType::kNextHop);
  }
  if (missing != 0) {
    d.record(ErrorAction::kTreatAsWithdraw, err::kMissingWellKnown, {missing},
             "missing well-known attribute " + std::to_string(missing));
  }
}

}  // namespace

std::optional<Family> UpdateMessage::end_of_rib() const {
  const bool attrs_empty = !attrs || *attrs == PathAttributes{};
  if (!withdrawn.empty() || !nlri.empty() || mp_reach || !attrs_empty) return std::nullopt;
  if (!mp_unreach) return kIpv4Unicast;
  if (mp_unreach->withdrawn4.empty() && mp_unreach->withdrawn6.empty()) return mp_unreach->family;
  return std::nullopt;
}

bool UpdateMessage::has_nlri() const {
  return !nlri.empty() || (mp_reach && (!mp_reach->nlri4.empty() || !mp_reach->nlri6.empty()));
}

bool UpdateMessage::operator==(const UpdateMessage& o) const {
  const PathAttributes empty;
  const PathAttributes& a = attrs ? *attrs : empty;
  const PathAttributes& b = o.attrs ? *o.attrs : empty;
  return withdrawn == o.withdrawn && a == b && mp_reach == o.mp_reach &&
         mp_unreach == o.mp_unreach && nlri == o.nlri && error_action == o.error_action;
}

DecodeResult<UpdateMessage> decode_update_body(ByteSpan body, const CodecOptions& opts) {
  UpdateMessage u;
  ByteReader r(body);
  uint16_t withdrawn_len = 0;
  uint16_t attrs_len = 0;
  ByteSpan withdrawn_field;
  ByteSpan attrs_field;
  // RFC 4271 §6.3 / RFC 7606 §4: length fields inconsistent with the message.
  if (!r.u16(withdrawn_len) || !r.take(withdrawn_len, withdrawn_field) || !r.u16(attrs_len) ||
      !r.take(attrs_len, attrs_field)) {
    return make_error(err::kUpdate, err::kMalformedAttributeList);
  }
  if (!decode_prefixes(withdrawn_field, u.withdrawn)) {
    return make_error(err::kUpdate, err::kInvalidNetworkField);
  }
  detail::AttrDecodeResult d;
  if (auto reset = detail::decode_path_attributes(attrs_field, opts, d)) return *reset;
  // RFC 7606 §5.3: an unparsable NLRI field forces a session reset.
  if (!decode_prefixes(r.rest(), u.nlri)) {
    return make_error(err::kUpdate, err::kInvalidNetworkField);
  }
  // An attribute overran the field: NLRI hidden behind it could not be found.
  // Treat-as-withdraw is only sound when the reachability we did find is all
  // there is; with nothing found, reset (RFC 7606 §5.3, last paragraph).
  if (d.framing_broken && !d.mp_reach && !d.mp_unreach && u.nlri.empty()) {
    return make_error(err::kUpdate, err::kMalformedAttributeList);
  }
  check_mandatory(u, d);
  u.mp_reach = std::move(d.mp_reach);
  u.mp_unreach = std::move(d.mp_unreach);
  u.error_action = d.action;
  u.error = std::move(d.error);
  u.error_detail = std::move(d.detail);
  u.attrs = std::make_shared<const PathAttributes>(std::move(d.attrs));
  return u;
}

Bytes encode_update(const UpdateMessage& u, const CodecOptions& opts) {
  Bytes out = begin_message(MessageType::kUpdate);
  const std::size_t withdrawn_len_at = out.size();
  put_u16(out, 0);
  for (const auto& p : u.withdrawn) encode_prefix(p, out);
  patch_u16(out, withdrawn_len_at, static_cast<uint16_t>(out.size() - withdrawn_len_at - 2));
  const std::size_t attrs_len_at = out.size();
  put_u16(out, 0);
  static const PathAttributes kEmpty;
  const PathAttributes& a = u.attrs ? *u.attrs : kEmpty;
  const bool include_next_hop = !u.nlri.empty() || !u.mp_reach;
  detail::encode_attributes_before_mp(a, opts, include_next_hop, out);
  if (u.mp_reach) {
    Bytes value;
    detail::encode_mp_reach_value(*u.mp_reach, value);
    detail::put_attribute(out, kFlagOptional, AttrType::kMpReachNlri, value);
  }
  if (u.mp_unreach) {
    Bytes value;
    detail::encode_mp_unreach_value(*u.mp_unreach, value);
    detail::put_attribute(out, kFlagOptional, AttrType::kMpUnreachNlri, value);
  }
  detail::encode_attributes_after_mp(a, opts, out);
  patch_u16(out, attrs_len_at, static_cast<uint16_t>(out.size() - attrs_len_at - 2));
  for (const auto& p : u.nlri) encode_prefix(p, out);
  finish_message(out);
  return out;
}

Bytes encode_end_of_rib(Family family) {
  UpdateMessage u;
  if (!family.is_ipv4_unicast()) u.mp_unreach = MpUnreach{family, true, {}, {}};
  return encode_update(u, CodecOptions{});
}

}  // namespace kr::bgp
