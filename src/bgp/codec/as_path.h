// AS_PATH values (RFC 4271 §4.3, §5.1.2), their 2- and 4-octet wire forms and
// the AS4_PATH merge of RFC 6793 §4.2.3. ASNs are always held as 4-octet.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bgp/codec/bytes.h"

namespace kr::bgp {

enum class SegmentType : uint8_t {
  kSet = 1,
  kSequence = 2,
  kConfedSequence = 3,  // RFC 5065
  kConfedSet = 4,
};

struct AsSegment {
  SegmentType type = SegmentType::kSequence;
  std::vector<uint32_t> asns;
  bool operator==(const AsSegment&) const = default;
};

struct AsPath {
  std::vector<AsSegment> segments;

  // Path length for the decision process (RFC 4271 §9.1.2.2 a): a SET counts
  // as one, confederation segments count zero.
  std::size_t length() const;
  bool contains(uint32_t asn) const;
  bool has_confed_segments() const;
  // The neighbouring AS: first ASN of a leading AS_SEQUENCE, 0 if none.
  uint32_t first_as() const;
  // Inserts `asn` `count` times in front (into the leading AS_SEQUENCE when
  // there is room, else a new one; segments hold at most 255 ASNs).
  void prepend(uint32_t asn, std::size_t count = 1);
  // "64512 65000 {1 2}" as GoBGP prints it.
  std::string to_string() const;

  bool operator==(const AsPath&) const = default;
};

// Decodes an AS_PATH or AS4_PATH value. Fails on unknown segment types, empty
// segments and any segment overrunning the value (RFC 7606 §7.2).
bool decode_as_path(ByteSpan value, bool four_octet, AsPath& out);
// Encodes `path`; with !four_octet every ASN above 65535 becomes AS_TRANS.
void encode_as_path(const AsPath& path, bool four_octet, Bytes& out);
// True when a 2-octet encoding of `path` would lose information.
bool needs_as4_path(const AsPath& path);

// RFC 6793 §4.2.3: rebuilds the real path from a 2-octet AS_PATH and the
// AS4_PATH. If AS_PATH is shorter than AS4_PATH, AS4_PATH is ignored.
// Confederation segments in AS4_PATH are dropped (RFC 6793 §6).
AsPath merge_as4_path(const AsPath& as_path, const AsPath& as4_path);

}  // namespace kr::bgp
