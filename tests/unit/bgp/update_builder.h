// Test helper: assembles UPDATE messages from hex fragments so malformed
// inputs can be written down exactly.
#pragma once

#include <string>

#include "bgp/codec/message.h"
#include "hex.h"

namespace kr::bgp::test {

inline Bytes update_wire(const std::string& withdrawn, const std::string& attrs,
                         const std::string& nlri) {
  const Bytes w = hex(withdrawn);
  const Bytes a = hex(attrs);
  const Bytes n = hex(nlri);
  Bytes out(16, 0xFF);
  put_u16(out, static_cast<uint16_t>(19 + 2 + w.size() + 2 + a.size() + n.size()));
  put_u8(out, 2);
  put_u16(out, static_cast<uint16_t>(w.size()));
  put_bytes(out, w);
  put_u16(out, static_cast<uint16_t>(a.size()));
  put_bytes(out, a);
  put_bytes(out, n);
  return out;
}

// ORIGIN i, empty AS_PATH, NEXT_HOP 10.0.0.1.
inline const std::string kBaseAttrs = "40 01 01 00  40 02 00  40 03 04 0a 00 00 01 ";
// 10.1.0.0/16
inline const std::string kNlri = "10 0a 01";

}  // namespace kr::bgp::test
