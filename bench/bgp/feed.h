// The benchmark's route feed: N distinct IPv4 /24 prefixes in 1,000 blocks
// that each share one attribute set (AS_PATH "65001 <block>", as a real
// table has many paths sharing attributes), packed into UPDATE messages by
// the codec's packer before any timing starts.
#pragma once

#include <cstddef>
#include <vector>

#include "bgp/codec/bytes.h"
#include "bgp/codec/ip.h"

namespace kr::bench {

inline constexpr uint32_t kFeederAs = 65001;

struct Feed {
  std::vector<bgp::Bytes> updates;
  std::size_t prefixes = 0;
  std::size_t bytes = 0;
};

Feed make_feed(std::size_t prefixes, const bgp::IpAddress& next_hop);

}  // namespace kr::bench
