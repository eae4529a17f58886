// Path attribute encoding. Flags follow bgp-wire.md §6.1: ORIGIN, AS_PATH,
// NEXT_HOP, LOCAL_PREF, ATOMIC_AGGREGATE 0x40; MED, ORIGINATOR_ID,
// CLUSTER_LIST, MP_* 0x80; AGGREGATOR, COMMUNITIES, AS4_* 0xC0; opaque
// attributes keep the flags they arrived with. The extended-length bit is set
// exactly when the value exceeds 255 bytes.
#include "bgp/codec/attr_codec.h"
#include "bgp/codec/nlri.h"

namespace kr::bgp::detail {
namespace {

constexpr uint8_t kWellKnown = kFlagTransitive;
constexpr uint8_t kOptNonTransitive = kFlagOptional;
constexpr uint8_t kOptTransitive = kFlagOptional | kFlagTransitive;

void put_u32_attr(Bytes& out, uint8_t flags, AttrType type, uint32_t v) {
  Bytes value;
  put_u32(value, v);
  put_attribute(out, flags, type, value);
}

void put_u32_list_attr(Bytes& out, uint8_t flags, AttrType type, const std::vector<uint32_t>& v) {
  Bytes value;
  value.reserve(v.size() * 4);
  for (uint32_t x : v) put_u32(value, x);
  put_attribute(out, flags, type, value);
}

void put_raw(Bytes& out, const RawAttribute& a) { put_attribute(out, a.flags, a.type, a.value); }

}  // namespace

void put_attribute(Bytes& out, uint8_t flags, uint8_t type, ByteSpan value) {
  const bool extended = value.size() > 255;
  put_u8(out, static_cast<uint8_t>((flags & ~kFlagExtendedLength) |
                                   (extended ? kFlagExtendedLength : 0)));
  put_u8(out, type);
  if (extended) {
    put_u16(out, static_cast<uint16_t>(value.size()));
  } else {
    put_u8(out, static_cast<uint8_t>(value.size()));
  }
  put_bytes(out, value);
}

void put_attribute(Bytes& out, uint8_t flags, AttrType type, ByteSpan value) {
  put_attribute(out, flags, static_cast<uint8_t>(type), value);
}

void encode_attributes_before_mp(const PathAttributes& a, const CodecOptions& opts,
                                 bool include_next_hop, Bytes& out) {
  if (a.origin) {
    const auto o = static_cast<uint8_t>(*a.origin);
    put_attribute(out, kWellKnown, AttrType::kOrigin, ByteSpan(&o, 1));
  }
  if (a.as_path) {
    Bytes value;
    encode_as_path(*a.as_path, opts.four_octet_as, value);
    put_attribute(out, kWellKnown, AttrType::kAsPath, value);
  }
  if (include_next_hop && a.next_hop && !a.next_hop->v6) {
    put_attribute(out, kWellKnown, AttrType::kNextHop, ByteSpan(a.next_hop->bytes.data(), 4));
  }
  if (a.med) put_u32_attr(out, kOptNonTransitive, AttrType::kMed, *a.med);
  if (a.local_pref) put_u32_attr(out, kWellKnown, AttrType::kLocalPref, *a.local_pref);
  if (a.atomic_aggregate) put_attribute(out, kWellKnown, AttrType::kAtomicAggregate, {});
  if (a.aggregator) {
    Bytes value;
    if (opts.four_octet_as) {
      put_u32(value, a.aggregator->asn);
    } else {
      put_u16(value,
              static_cast<uint16_t>(a.aggregator->asn > 0xFFFF ? kAsTrans : a.aggregator->asn));
    }
    put_u32(value, a.aggregator->address);
    put_attribute(out, kOptTransitive, AttrType::kAggregator, value);
  }
  if (!a.communities.empty()) {
    put_u32_list_attr(out, kOptTransitive, AttrType::kCommunities, a.communities);
  }
  if (a.originator_id) {
    put_u32_attr(out, kOptNonTransitive, AttrType::kOriginatorId, *a.originator_id);
  }
  if (!a.cluster_list.empty()) {
    put_u32_list_attr(out, kOptNonTransitive, AttrType::kClusterList, a.cluster_list);
  }
  for (const auto& raw : a.other) {
    if (raw.type < static_cast<uint8_t>(AttrType::kMpReachNlri)) put_raw(out, raw);
  }
}

void encode_attributes_after_mp(const PathAttributes& a, const CodecOptions& opts, Bytes& out) {
  // RFC 6793 §4.2.2: toward a 2-octet speaker, carry the real path/aggregator
  // in AS4_PATH (17) / AS4_AGGREGATOR (18) when AS_TRANS had to be used.
  const bool as4_path = !opts.four_octet_as && a.as_path && needs_as4_path(*a.as_path);
  const bool as4_aggregator = !opts.four_octet_as && a.aggregator && a.aggregator->asn > 0xFFFF;
  bool as4_written = false;
  auto write_as4 = [&] {
    if (as4_written) return;
    as4_written = true;
    if (as4_path) {
      Bytes value;
      AsPath stripped;
      for (const auto& s : a.as_path->segments) {
        if (s.type == SegmentType::kSequence || s.type == SegmentType::kSet) {
          stripped.segments.push_back(s);
        }
      }
      encode_as_path(stripped, true, value);
      put_attribute(out, kOptTransitive, AttrType::kAs4Path, value);
    }
    if (as4_aggregator) {
      Bytes value;
      put_u32(value, a.aggregator->asn);
      put_u32(value, a.aggregator->address);
      put_attribute(out, kOptTransitive, AttrType::kAs4Aggregator, value);
    }
  };
  for (const auto& raw : a.other) {
    if (raw.type <= static_cast<uint8_t>(AttrType::kMpUnreachNlri)) continue;
    if (raw.type > static_cast<uint8_t>(AttrType::kAs4Aggregator)) write_as4();
    put_raw(out, raw);
  }
  write_as4();
}

void encode_mp_reach_value(const MpReach& mp, Bytes& out) {
  put_u16(out, mp.family.afi);
  put_u8(out, mp.family.safi);
  // An IPv4 next hop on an IPv6 route goes out IPv4-mapped (bgp-wire.md §6.1).
  if (mp.family.is_ipv4_unicast() && !mp.next_hop.v6) {
    put_u8(out, 4);
    out.insert(out.end(), mp.next_hop.bytes.begin(), mp.next_hop.bytes.begin() + 4);
  } else {
    const IpAddress nh = mp.next_hop.to_v6_mapped();
    put_u8(out, mp.link_local_next_hop ? 32 : 16);
    put_bytes(out, nh.bytes);
    if (mp.link_local_next_hop) put_bytes(out, mp.link_local_next_hop->bytes);
  }
  put_u8(out, 0);  // reserved (RFC 4760 §3)
  for (const auto& p : mp.nlri4) encode_prefix(p, out);
  for (const auto& p : mp.nlri6) encode_prefix(p, out);
}

void encode_mp_unreach_value(const MpUnreach& mp, Bytes& out) {
  put_u16(out, mp.family.afi);
  put_u8(out, mp.family.safi);
  for (const auto& p : mp.withdrawn4) encode_prefix(p, out);
  for (const auto& p : mp.withdrawn6) encode_prefix(p, out);
}

}  // namespace kr::bgp::detail
