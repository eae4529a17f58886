// Path attribute field encoding and decoding, shared by the UPDATE codec and
// the packer. Not part of the public API.
#pragma once

#include <bitset>

#include "bgp/codec/update.h"

namespace kr::bgp::detail {

struct AttrDecodeResult {
  PathAttributes attrs;
  std::optional<MpReach> mp_reach;
  std::optional<MpUnreach> mp_unreach;
  std::bitset<256> seen;
  // An attribute header or value overran the field (RFC 7606 §4).
  bool framing_broken = false;
  ErrorAction action = ErrorAction::kNone;
  Notification error;
  std::string detail;

  // Keeps the strongest verdict (RFC 7606 §3: the most severe one applies).
  void record(ErrorAction a, uint8_t subcode, Bytes data, std::string why);
};

// nullopt = decoded (possibly with a verdict in `out`); otherwise the
// NOTIFICATION for a session reset.
std::optional<Notification> decode_path_attributes(ByteSpan field, const CodecOptions& opts,
                                                   AttrDecodeResult& out);

// Appends one attribute with the extended-length bit set exactly when needed.
void put_attribute(Bytes& out, uint8_t flags, AttrType type, ByteSpan value);
void put_attribute(Bytes& out, uint8_t flags, uint8_t type, ByteSpan value);

// Appends every attribute of `attrs` with type < 14 (the ones that precede
// MP_REACH_NLRI in ascending order) ...
void encode_attributes_before_mp(const PathAttributes& attrs, const CodecOptions& opts,
                                 bool include_next_hop, Bytes& out);
// ... and those with type > 15.
void encode_attributes_after_mp(const PathAttributes& attrs, const CodecOptions& opts, Bytes& out);

void encode_mp_reach_value(const MpReach& mp, Bytes& out);
void encode_mp_unreach_value(const MpUnreach& mp, Bytes& out);

}  // namespace kr::bgp::detail
