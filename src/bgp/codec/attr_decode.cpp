// Path attribute decoding with RFC 7606 revised error handling.
//
// Per attribute (RFC 7606 §7, bgp-wire.md §7.2):
//   ORIGIN, AS_PATH, NEXT_HOP, MED, LOCAL_PREF, COMMUNITIES, ORIGINATOR_ID,
//   CLUSTER_LIST, AS4_PATH, AS4_AGGREGATOR, extended / IPv6-extended / large
//   communities: malformed ⇒ treat-as-withdraw.
//   ATOMIC_AGGREGATE, AGGREGATOR: malformed ⇒ attribute discard.
//   MP_REACH_NLRI, MP_UNREACH_NLRI: malformed or repeated ⇒ session reset.
//   Unrecognized well-known (optional bit clear) ⇒ session reset 3/2 (GoBGP).
//   Any other repeated attribute ⇒ later copies discarded (RFC 7606 §3 g).
//   Flags conflicting with the attribute's definition ⇒ malformed (§3 c).
#include <algorithm>

#include "bgp/codec/attr_codec.h"
#include "bgp/codec/nlri.h"

namespace kr::bgp::detail {
namespace {

// Optional/transitive bits each known attribute must carry (RFC 4271 §5,
// RFC 4760, RFC 4456, RFC 6793, RFC 4360, RFC 5701, RFC 8092).
std::optional<uint8_t> expected_category(uint8_t type) {
  switch (static_cast<AttrType>(type)) {
    case AttrType::kOrigin:
    case AttrType::kAsPath:
    case AttrType::kNextHop:
    case AttrType::kLocalPref:
    case AttrType::kAtomicAggregate:
      return kFlagTransitive;
    case AttrType::kMed:
    case AttrType::kOriginatorId:
    case AttrType::kClusterList:
    case AttrType::kMpReachNlri:
    case AttrType::kMpUnreachNlri:
      return kFlagOptional;
    case AttrType::kAggregator:
    case AttrType::kCommunities:
    case AttrType::kExtendedCommunities:
    case AttrType::kAs4Path:
    case AttrType::kAs4Aggregator:
    case AttrType::kIpv6ExtendedCommunities:
    case AttrType::kLargeCommunities:
      return kFlagOptional | kFlagTransitive;
  }
  return std::nullopt;
}

bool flags_valid(uint8_t type, uint8_t flags) {
  auto expected = expected_category(type);
  if (!expected) return true;
  if ((flags & (kFlagOptional | kFlagTransitive)) != *expected) return false;
  // The Partial bit is only meaningful on optional transitive attributes.
  return *expected == (kFlagOptional | kFlagTransitive) || (flags & kFlagPartial) == 0;
}

ErrorAction action_for(uint8_t type) {
  switch (static_cast<AttrType>(type)) {
    case AttrType::kAtomicAggregate:
    case AttrType::kAggregator:
      return ErrorAction::kAttributeDiscard;
    default:
      return ErrorAction::kTreatAsWithdraw;
  }
}

bool is_multiple(std::size_t len, std::size_t unit) { return len > 0 && len % unit == 0; }

void read_u32_list(ByteSpan v, std::vector<uint32_t>& out) {
  ByteReader r(v);
  out.resize(v.size() / 4);
  for (auto& x : out) r.u32(x);
}

// GoBGP's NEXT_HOP host-address check: 0/8, class D/E, and loopback unless
// the session is on loopback.
bool next_hop_usable(const IpAddress& nh, const CodecOptions& opts) {
  const uint8_t first = nh.bytes[0];
  if (first == 0 || first >= 224) return false;
  return opts.allow_loopback_next_hop || first != 127;
}

// Next hop of an MP_REACH_NLRI for the families this codec parses; false when
// the length does not fit the family (RFC 7606 §7.11 ⇒ session reset).
bool decode_mp_next_hop(Family f, ByteSpan nh, MpReach& mp) {
  if (f.is_ipv4_unicast() && nh.size() == 4) {
    mp.next_hop = IpAddress::from_v4_bytes(nh.data());
    return true;
  }
  // IPv6 unicast (RFC 2545) and IPv4 with an IPv6 next hop (RFC 8950).
  if (nh.size() == 16 || nh.size() == 32) {
    mp.next_hop = IpAddress::from_v6_bytes(nh.data());
    if (nh.size() == 32) mp.link_local_next_hop = IpAddress::from_v6_bytes(nh.data() + 16);
    return true;
  }
  return false;
}

bool decode_mp_reach(ByteSpan v, MpReach& mp) {
  ByteReader r(v);
  uint8_t nh_len = 0;
  uint8_t reserved = 0;
  ByteSpan nh;
  if (!r.u16(mp.family.afi) || !r.u8(mp.family.safi) || !r.u8(nh_len) || !r.take(nh_len, nh) ||
      !r.u8(reserved)) {
    return false;
  }
  mp.supported = mp.family.is_ipv4_unicast() || mp.family.is_ipv6_unicast();
  if (!mp.supported) return true;
  if (!decode_mp_next_hop(mp.family, nh, mp)) return false;
  return mp.family.is_ipv4_unicast() ? decode_prefixes(r.rest(), mp.nlri4)
                                     : decode_prefixes(r.rest(), mp.nlri6);
}

bool decode_mp_unreach(ByteSpan v, MpUnreach& mp) {
  ByteReader r(v);
  if (!r.u16(mp.family.afi) || !r.u8(mp.family.safi)) return false;
  mp.supported = mp.family.is_ipv4_unicast() || mp.family.is_ipv6_unicast();
  if (!mp.supported) return true;
  return mp.family.is_ipv4_unicast() ? decode_prefixes(r.rest(), mp.withdrawn4)
                                     : decode_prefixes(r.rest(), mp.withdrawn6);
}

struct Pending4 {
  std::optional<AsPath> as4_path;
  std::optional<Aggregator> as4_aggregator;
};

// Decodes the value of one recognised attribute. Returns false when it is
// malformed; `subcode` then names the RFC 4271 error.
bool decode_known(uint8_t type, ByteSpan v, const CodecOptions& opts, AttrDecodeResult& out,
                  Pending4& pending, uint8_t& subcode) {
  PathAttributes& a = out.attrs;
  ByteReader r(v);
  subcode = err::kAttributeLengthError;
  switch (static_cast<AttrType>(type)) {
    case AttrType::kOrigin: {
      uint8_t o = 0;
      if (v.size() != 1 || !r.u8(o)) return false;
      subcode = err::kInvalidOrigin;
      if (o > 2) return false;
      a.origin = static_cast<Origin>(o);
      return true;
    }
    case AttrType::kAsPath: {
      subcode = err::kMalformedAsPath;
      AsPath p;
      if (!decode_as_path(v, opts.four_octet_as, p)) return false;
      // GoBGP: confederation segments from a non-confederation eBGP peer.
      if (opts.ebgp && p.has_confed_segments()) return false;
      a.as_path = std::move(p);
      return true;
    }
    case AttrType::kNextHop: {
      if (v.size() != 4) return false;
      IpAddress nh = IpAddress::from_v4_bytes(v.data());
      subcode = err::kInvalidNextHop;
      if (!next_hop_usable(nh, opts)) return false;
      a.next_hop = nh;
      return true;
    }
    case AttrType::kMed: {
      uint32_t x = 0;
      if (v.size() != 4 || !r.u32(x)) return false;
      a.med = x;
      return true;
    }
    case AttrType::kLocalPref: {
      uint32_t x = 0;
      if (v.size() != 4 || !r.u32(x)) return false;
      // RFC 4271 §5.1.5 / RFC 7606 §7.5: ignored when received over eBGP.
      if (!opts.ebgp) a.local_pref = x;
      return true;
    }
    case AttrType::kAtomicAggregate:
      if (!v.empty()) return false;
      a.atomic_aggregate = true;
      return true;
    case AttrType::kAggregator: {
      Aggregator ag;
      if (opts.four_octet_as) {
        if (v.size() != 8) return false;
        r.u32(ag.asn);
      } else {
        uint16_t asn = 0;
        if (v.size() != 6) return false;
        r.u16(asn);
        ag.asn = asn;
      }
      r.u32(ag.address);
      a.aggregator = ag;
      return true;
    }
    case AttrType::kCommunities:
      subcode = err::kOptionalAttributeError;
      if (!is_multiple(v.size(), 4)) return false;
      read_u32_list(v, a.communities);
      return true;
    case AttrType::kOriginatorId: {
      uint32_t x = 0;
      if (v.size() != 4 || !r.u32(x)) return false;
      a.originator_id = x;
      return true;
    }
    case AttrType::kClusterList:
      if (!is_multiple(v.size(), 4)) return false;
      read_u32_list(v, a.cluster_list);
      return true;
    case AttrType::kAs4Path: {
      subcode = err::kMalformedAsPath;
      AsPath p;
      if (!decode_as_path(v, true, p)) return false;
      pending.as4_path = std::move(p);
      return true;
    }
    case AttrType::kAs4Aggregator: {
      Aggregator ag;
      if (v.size() != 8) return false;
      r.u32(ag.asn);
      r.u32(ag.address);
      pending.as4_aggregator = ag;
      return true;
    }
    default: {
      // Opaque but length-checked community attributes.
      subcode = err::kOptionalAttributeError;
      std::size_t unit = type == static_cast<uint8_t>(AttrType::kExtendedCommunities)       ? 8
                         : type == static_cast<uint8_t>(AttrType::kIpv6ExtendedCommunities) ? 20
                                                                                            : 12;
      return is_multiple(v.size(), unit);
    }
  }
}

// RFC 6793 §4.2.3: AS4_AGGREGATOR and AS4_PATH are honoured only when the
// AGGREGATOR (if any) carries AS_TRANS.
void apply_as4(PathAttributes& a, Pending4& pending) {
  if (a.aggregator && a.aggregator->asn != kAsTrans) return;
  if (pending.as4_aggregator && a.aggregator) a.aggregator = pending.as4_aggregator;
  if (pending.as4_path && a.as_path) a.as_path = merge_as4_path(*a.as_path, *pending.as4_path);
}

}  // namespace

void AttrDecodeResult::record(ErrorAction a, uint8_t subcode, Bytes data, std::string why) {
  if (a <= action) return;
  action = a;
  error = make_error(err::kUpdate, subcode, std::move(data));
  detail = std::move(why);
}

std::optional<Notification> decode_path_attributes(ByteSpan field, const CodecOptions& opts,
                                                   AttrDecodeResult& out) {
  ByteReader r(field);
  Pending4 pending;
  while (!r.empty()) {
    const std::size_t start = r.position();
    uint8_t flags = 0;
    uint8_t type = 0;
    uint16_t len = 0;
    ByteSpan v;
    bool header_ok = r.u8(flags) && r.u8(type);
    if (header_ok && (flags & kFlagExtendedLength) != 0) {
      header_ok = r.u16(len);
    } else if (header_ok) {
      uint8_t l8 = 0;
      header_ok = r.u8(l8);
      len = l8;
    }
    if (!header_ok || !r.take(len, v)) {
      // RFC 7606 §4: the rest of the field cannot be parsed.
      out.framing_broken = true;
      out.record(ErrorAction::kTreatAsWithdraw, err::kAttributeLengthError, {},
                 "path attribute overruns the attribute field");
      break;
    }
    const ByteSpan whole = field.subspan(start, r.position() - start);
    const bool is_mp = type == static_cast<uint8_t>(AttrType::kMpReachNlri) ||
                       type == static_cast<uint8_t>(AttrType::kMpUnreachNlri);
    if (out.seen.test(type)) {
      if (is_mp) return make_error(err::kUpdate, err::kMalformedAttributeList);
      out.record(ErrorAction::kAttributeDiscard, err::kMalformedAttributeList, {},
                 "repeated path attribute " + std::to_string(type) + " discarded");
      continue;
    }
    out.seen.set(type);
    // RFC 6793 §3: AS4_PATH / AS4_AGGREGATOR from a 4-octet speaker are
    // discarded unexamined.
    if (opts.four_octet_as && (type == static_cast<uint8_t>(AttrType::kAs4Path) ||
                               type == static_cast<uint8_t>(AttrType::kAs4Aggregator))) {
      continue;
    }
    const bool known = expected_category(type).has_value();
    if (!known) {
      if ((flags & kFlagOptional) == 0) {
        return make_error(err::kUpdate, err::kUnrecognizedWellKnown,
                          Bytes(whole.begin(), whole.end()));
      }
      out.attrs.other.push_back(
          {static_cast<uint8_t>(flags & ~kFlagExtendedLength), type, Bytes(v.begin(), v.end())});
      continue;
    }
    if (!flags_valid(type, flags)) {
      if (is_mp) {
        return make_error(err::kUpdate, err::kAttributeFlagsError,
                          Bytes(whole.begin(), whole.end()));
      }
      out.record(action_for(type), err::kAttributeFlagsError, Bytes(whole.begin(), whole.end()),
                 "bad flags on path attribute " + std::to_string(type));
      continue;
    }
    if (type == static_cast<uint8_t>(AttrType::kMpReachNlri)) {
      MpReach mp;
      if (!decode_mp_reach(v, mp)) return make_error(err::kUpdate, err::kOptionalAttributeError);
      out.mp_reach = std::move(mp);
      continue;
    }
    if (type == static_cast<uint8_t>(AttrType::kMpUnreachNlri)) {
      MpUnreach mp;
      if (!decode_mp_unreach(v, mp)) return make_error(err::kUpdate, err::kOptionalAttributeError);
      out.mp_unreach = std::move(mp);
      continue;
    }
    uint8_t subcode = 0;
    if (!decode_known(type, v, opts, out, pending, subcode)) {
      out.record(action_for(type), subcode, Bytes(whole.begin(), whole.end()),
                 "malformed path attribute " + std::to_string(type));
      continue;
    }
    if (type >= static_cast<uint8_t>(AttrType::kExtendedCommunities) &&
        type != static_cast<uint8_t>(AttrType::kAs4Path) &&
        type != static_cast<uint8_t>(AttrType::kAs4Aggregator)) {
      out.attrs.other.push_back(
          {static_cast<uint8_t>(flags & ~kFlagExtendedLength), type, Bytes(v.begin(), v.end())});
    }
  }
  apply_as4(out.attrs, pending);
  std::sort(out.attrs.other.begin(), out.attrs.other.end(),
            [](const RawAttribute& x, const RawAttribute& y) { return x.type < y.type; });
  return std::nullopt;
}

}  // namespace kr::bgp::detail
