// NLRI prefix encoding (RFC 4271 §4.3, RFC 4760 §5): one length byte (in bits)
// followed by the minimum number of address bytes.
#pragma once

#include <vector>

#include "bgp/codec/bytes.h"
#include "bgp/codec/ip.h"

namespace kr::bgp {

// Decode a whole field of prefixes. Fail (returning false) on a length beyond
// the family maximum or a prefix overrunning the field. Host bits that are set
// on the wire are cleared. `out` is appended to; it grows only per prefix
// actually present, never by a claimed count.
bool decode_prefixes(ByteSpan field, std::vector<Prefix4>& out);
bool decode_prefixes(ByteSpan field, std::vector<Prefix6>& out);

void encode_prefix(const Prefix4& p, Bytes& out);
void encode_prefix(const Prefix6& p, Bytes& out);

// Bytes the encoded prefix takes.
inline std::size_t encoded_size(const Prefix4& p) { return 1 + (p.len + 7u) / 8; }
inline std::size_t encoded_size(const Prefix6& p) { return 1 + (p.len + 7u) / 8; }

}  // namespace kr::bgp
