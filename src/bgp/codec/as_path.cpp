#include "bgp/codec/as_path.h"

#include <algorithm>

#include "bgp/codec/constants.h"

namespace kr::bgp {
namespace {

constexpr std::size_t kMaxSegmentAsns = 255;

bool is_confed(SegmentType t) {
  return t == SegmentType::kConfedSequence || t == SegmentType::kConfedSet;
}

std::size_t segment_length(const AsSegment& s) {
  if (is_confed(s.type)) return 0;
  return s.type == SegmentType::kSet ? 1 : s.asns.size();
}

}  // namespace

std::size_t AsPath::length() const {
  std::size_t n = 0;
  for (const auto& s : segments) n += segment_length(s);
  return n;
}

bool AsPath::contains(uint32_t asn) const {
  return std::ranges::any_of(segments, [asn](const AsSegment& s) {
    return std::ranges::find(s.asns, asn) != s.asns.end();
  });
}

bool AsPath::has_confed_segments() const {
  return std::any_of(segments.begin(), segments.end(),
                     [](const AsSegment& s) { return is_confed(s.type); });
}

uint32_t AsPath::first_as() const {
  if (segments.empty() || segments[0].type != SegmentType::kSequence) return 0;
  return segments[0].asns.empty() ? 0 : segments[0].asns[0];
}

void AsPath::prepend(uint32_t asn, std::size_t count) {
  while (count > 0) {
    if (segments.empty() || segments[0].type != SegmentType::kSequence ||
        segments[0].asns.size() >= kMaxSegmentAsns) {
      segments.insert(segments.begin(), AsSegment{SegmentType::kSequence, {}});
    }
    auto& asns = segments[0].asns;
    std::size_t n = std::min(count, kMaxSegmentAsns - asns.size());
    asns.insert(asns.begin(), n, asn);
    count -= n;
  }
}

std::string AsPath::to_string() const {
  std::string out;
  for (const auto& s : segments) {
    if (!out.empty()) out += ' ';
    const bool set = s.type == SegmentType::kSet || s.type == SegmentType::kConfedSet;
    const char* open = s.type == SegmentType::kSet              ? "{"
                       : s.type == SegmentType::kConfedSet      ? "({"
                       : s.type == SegmentType::kConfedSequence ? "("
                                                                : "";
    out += open;
    for (std::size_t i = 0; i < s.asns.size(); ++i) {
      if (i > 0) out += set ? "," : " ";
      out += std::to_string(s.asns[i]);
    }
    out += s.type == SegmentType::kSet              ? "}"
           : s.type == SegmentType::kConfedSet      ? "})"
           : s.type == SegmentType::kConfedSequence ? ")"
                                                    : "";
  }
  return out;
}

bool decode_as_path(ByteSpan value, bool four_octet, AsPath& out) {
  ByteReader r(value);
  const std::size_t as_size = four_octet ? 4 : 2;
  out.segments.clear();
  while (!r.empty()) {
    uint8_t type = 0;
    uint8_t count = 0;
    if (!r.u8(type) || !r.u8(count)) return false;
    if (type < 1 || type > 4 || count == 0 || r.remaining() < count * as_size) return false;
    AsSegment seg{static_cast<SegmentType>(type), {}};
    seg.asns.resize(count);
    for (auto& asn : seg.asns) {
      if (four_octet) {
        r.u32(asn);
      } else {
        uint16_t a = 0;
        r.u16(a);
        asn = a;
      }
    }
    out.segments.push_back(std::move(seg));
  }
  return true;
}

void encode_as_path(const AsPath& path, bool four_octet, Bytes& out) {
  for (const auto& s : path.segments) {
    for (std::size_t start = 0; start < s.asns.size(); start += kMaxSegmentAsns) {
      std::size_t n = std::min(kMaxSegmentAsns, s.asns.size() - start);
      put_u8(out, static_cast<uint8_t>(s.type));
      put_u8(out, static_cast<uint8_t>(n));
      for (std::size_t i = start; i < start + n; ++i) {
        if (four_octet) {
          put_u32(out, s.asns[i]);
        } else {
          put_u16(out, static_cast<uint16_t>(s.asns[i] > 0xFFFF ? kAsTrans : s.asns[i]));
        }
      }
    }
  }
}

bool needs_as4_path(const AsPath& path) {
  for (const auto& s : path.segments) {
    for (uint32_t a : s.asns) {
      if (a > 0xFFFF) return true;
    }
  }
  return false;
}

AsPath merge_as4_path(const AsPath& as_path, const AsPath& as4_path) {
  AsPath as4;
  for (const auto& s : as4_path.segments) {
    if (!is_confed(s.type)) as4.segments.push_back(s);
  }
  const std::size_t n = as_path.length();
  const std::size_t n4 = as4.length();
  if (n < n4) return as_path;
  // Keep the leading (n - n4) path-length units of AS_PATH, then AS4_PATH.
  AsPath merged;
  std::size_t keep = n - n4;
  for (const auto& s : as_path.segments) {
    if (keep == 0 && !is_confed(s.type)) break;
    const std::size_t len = segment_length(s);
    if (len <= keep) {
      merged.segments.push_back(s);
      keep -= len;
    } else {
      // Only an AS_SEQUENCE can be split (a SET counts as one unit).
      AsSegment part{s.type, {s.asns.begin(), s.asns.begin() + static_cast<std::ptrdiff_t>(keep)}};
      merged.segments.push_back(std::move(part));
      keep = 0;
    }
  }
  for (const auto& s : as4.segments) merged.segments.push_back(s);
  return merged;
}

}  // namespace kr::bgp
