#include "bgp/codec/capabilities.h"

#include <algorithm>

namespace kr::bgp {
namespace {

void put_cap_header(Bytes& out, CapabilityCode code, std::size_t len) {
  put_u8(out, static_cast<uint8_t>(code));
  put_u8(out, static_cast<uint8_t>(len));
}

// The draft-walton FQDN capability stores each string with a one-byte length;
// hostnames are truncated to 64 bytes as GoBGP does.
void put_short_string(Bytes& out, std::string_view s, std::size_t max) {
  std::size_t len = std::min(s.size(), max);
  put_u8(out, static_cast<uint8_t>(len));
  out.insert(out.end(), s.begin(), s.begin() + static_cast<std::ptrdiff_t>(len));
}

bool read_short_string(ByteReader& r, std::string& out) {
  uint8_t len = 0;
  ByteSpan s;
  if (!r.u8(len) || !r.take(len, s)) return false;
  out.assign(s.begin(), s.end());
  return true;
}

bool decode_multiprotocol(ByteSpan v, Capabilities& caps) {
  ByteReader r(v);
  Family f;
  uint8_t reserved = 0;
  if (v.size() != 4 || !r.u16(f.afi) || !r.u8(reserved) || !r.u8(f.safi)) return false;
  if (std::find(caps.multiprotocol.begin(), caps.multiprotocol.end(), f) ==
      caps.multiprotocol.end()) {
    caps.multiprotocol.push_back(f);
  }
  return true;
}

bool decode_graceful_restart(ByteSpan v, Capabilities& caps) {
  ByteReader r(v);
  uint16_t word = 0;
  // RFC 4724 §3: 2-byte header then 4-byte tuples.
  if (!r.u16(word) || r.remaining() % 4 != 0) return false;
  GracefulRestartCapability gr;
  gr.restart_state = (word & 0x8000) != 0;
  gr.notification = (word & 0x4000) != 0;
  gr.restart_time = word & 0x0FFF;
  while (!r.empty()) {
    GracefulRestartCapability::FamilyFlags ff;
    uint8_t flags = 0;
    r.u16(ff.family.afi);
    r.u8(ff.family.safi);
    r.u8(flags);
    ff.forwarding_preserved = (flags & 0x80) != 0;
    gr.families.push_back(ff);
  }
  caps.graceful_restart = std::move(gr);
  return true;
}

bool decode_extended_next_hop(ByteSpan v, Capabilities& caps) {
  ByteReader r(v);
  if (v.size() % 6 != 0) return false;
  while (!r.empty()) {
    ExtendedNextHopTuple t;
    uint16_t safi = 0;
    r.u16(t.family.afi);
    r.u16(safi);
    r.u16(t.next_hop_afi);
    t.family.safi = static_cast<uint8_t>(safi);
    caps.extended_next_hop.push_back(t);
  }
  return true;
}

bool decode_hostname(ByteSpan v, Capabilities& caps) {
  ByteReader r(v);
  std::string host;
  std::string domain;
  if (!read_short_string(r, host)) return false;
  // Some senders omit the domain entirely; treat that as empty.
  if (!r.empty() && !read_short_string(r, domain)) return false;
  caps.hostname = std::move(host);
  caps.domain = std::move(domain);
  return true;
}

}  // namespace

void encode_capabilities(const Capabilities& caps, Bytes& out) {
  if (caps.route_refresh) put_cap_header(out, CapabilityCode::kRouteRefresh, 0);
  if (caps.hostname) {
    std::size_t host = std::min<std::size_t>(caps.hostname->size(), 64);
    std::size_t domain = std::min<std::size_t>(caps.domain ? caps.domain->size() : 0, 64);
    put_cap_header(out, CapabilityCode::kHostname, 2 + host + domain);
    put_short_string(out, *caps.hostname, 64);
    put_short_string(out, caps.domain ? *caps.domain : std::string_view{}, 64);
  }
  if (caps.software_version) {
    std::size_t len = std::min<std::size_t>(caps.software_version->size(), 64);
    put_cap_header(out, CapabilityCode::kSoftwareVersion, 1 + len);
    put_short_string(out, *caps.software_version, 64);
  }
  if (caps.extended_message) put_cap_header(out, CapabilityCode::kExtendedMessage, 0);
  for (const Family& f : caps.multiprotocol) {
    put_cap_header(out, CapabilityCode::kMultiprotocol, 4);
    put_u16(out, f.afi);
    put_u8(out, 0);
    put_u8(out, f.safi);
  }
  if (caps.four_octet_as) {
    put_cap_header(out, CapabilityCode::kFourOctetAs, 4);
    put_u32(out, *caps.four_octet_as);
  }
  if (caps.graceful_restart) {
    const auto& gr = *caps.graceful_restart;
    put_cap_header(out, CapabilityCode::kGracefulRestart, 2 + 4 * gr.families.size());
    auto word = static_cast<uint16_t>((gr.restart_state ? 0x8000 : 0) |
                                      (gr.notification ? 0x4000 : 0) | (gr.restart_time & 0x0FFF));
    put_u16(out, word);
    for (const auto& ff : gr.families) {
      put_u16(out, ff.family.afi);
      put_u8(out, ff.family.safi);
      put_u8(out, ff.forwarding_preserved ? 0x80 : 0);
    }
  }
  if (!caps.extended_next_hop.empty()) {
    put_cap_header(out, CapabilityCode::kExtendedNextHop, 6 * caps.extended_next_hop.size());
    for (const auto& t : caps.extended_next_hop) {
      put_u16(out, t.family.afi);
      put_u16(out, t.family.safi);
      put_u16(out, t.next_hop_afi);
    }
  }
  for (const RawCapability& c : caps.other) {
    put_u8(out, c.code);
    put_u8(out, static_cast<uint8_t>(c.value.size()));
    put_bytes(out, c.value);
  }
}

bool decode_capabilities(ByteSpan param_value, Capabilities& caps) {
  ByteReader r(param_value);
  while (!r.empty()) {
    uint8_t code = 0;
    uint8_t len = 0;
    ByteSpan v;
    if (!r.u8(code) || !r.u8(len) || !r.take(len, v)) return false;
    bool ok = true;
    switch (static_cast<CapabilityCode>(code)) {
      case CapabilityCode::kMultiprotocol:
        ok = decode_multiprotocol(v, caps);
        break;
      case CapabilityCode::kRouteRefresh:
        caps.route_refresh = true;
        break;
      case CapabilityCode::kExtendedMessage:
        caps.extended_message = true;
        break;
      case CapabilityCode::kGracefulRestart:
        ok = decode_graceful_restart(v, caps);
        break;
      case CapabilityCode::kFourOctetAs: {
        ByteReader vr(v);
        uint32_t asn = 0;
        ok = v.size() == 4 && vr.u32(asn);
        if (ok) caps.four_octet_as = asn;
        break;
      }
      // Informational capabilities: a malformed one is ignored, not fatal.
      case CapabilityCode::kExtendedNextHop:
        if (!decode_extended_next_hop(v, caps)) {
          caps.other.push_back({code, Bytes(v.begin(), v.end())});
        }
        break;
      case CapabilityCode::kHostname:
        if (!decode_hostname(v, caps)) caps.other.push_back({code, Bytes(v.begin(), v.end())});
        break;
      case CapabilityCode::kSoftwareVersion: {
        ByteReader vr(v);
        std::string s;
        if (read_short_string(vr, s)) {
          caps.software_version = std::move(s);
        } else {
          caps.other.push_back({code, Bytes(v.begin(), v.end())});
        }
        break;
      }
      default:
        caps.other.push_back({code, Bytes(v.begin(), v.end())});
        break;
    }
    if (!ok) return false;
  }
  return true;
}

}  // namespace kr::bgp
