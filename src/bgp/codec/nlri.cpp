#include "bgp/codec/nlri.h"

namespace kr::bgp {
namespace {

template <class P, std::size_t N>
bool decode_generic(ByteSpan field, std::vector<P>& out) {
  ByteReader r(field);
  while (!r.empty()) {
    uint8_t len = 0;
    r.u8(len);
    if (len > N * 8) return false;
    ByteSpan bytes;
    if (!r.take((len + 7u) / 8, bytes)) return false;
    uint8_t addr[N] = {};
    for (std::size_t i = 0; i < bytes.size(); ++i) addr[i] = bytes[i];
    out.push_back(P::make(addr, len));
  }
  return true;
}

template <class P>
void encode_generic(const P& p, Bytes& out) {
  put_u8(out, p.len);
  out.insert(out.end(), p.addr.begin(), p.addr.begin() + (p.len + 7u) / 8);
}

}  // namespace

bool decode_prefixes(ByteSpan field, std::vector<Prefix4>& out) {
  return decode_generic<Prefix4, 4>(field, out);
}
bool decode_prefixes(ByteSpan field, std::vector<Prefix6>& out) {
  return decode_generic<Prefix6, 16>(field, out);
}
void encode_prefix(const Prefix4& p, Bytes& out) { encode_generic(p, out); }
void encode_prefix(const Prefix6& p, Bytes& out) { encode_generic(p, out); }

}  // namespace kr::bgp
