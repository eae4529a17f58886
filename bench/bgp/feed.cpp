#include "feed.h"

#include "bgp/codec/update_packer.h"

namespace kr::bench {

Feed make_feed(std::size_t prefixes, const bgp::IpAddress& next_hop) {
  constexpr std::size_t kBlocks = 1000;
  bgp::UpdatePacker packer(bgp::kIpv4Unicast,
                           bgp::CodecOptions{.four_octet_as = true, .ebgp = true});
  std::vector<bgp::AttrSetPtr> attrs;
  for (std::size_t b = 0; b < kBlocks; ++b) {
    bgp::PathAttributes a;
    a.origin = bgp::Origin::kIgp;
    a.as_path = bgp::AsPath{{bgp::AsSegment{bgp::SegmentType::kSequence,
                                            {kFeederAs, static_cast<uint32_t>(1000 + b)}}}};
    a.next_hop = next_hop;
    attrs.push_back(std::make_shared<const bgp::PathAttributes>(std::move(a)));
  }
  for (std::size_t i = 0; i < prefixes; ++i) {
    // 11.0.0.0/24, 11.0.1.0/24, ...: all distinct, all unicast.
    const uint32_t a = (11u << 24) + static_cast<uint32_t>(i << 8);
    const uint8_t bytes[4] = {static_cast<uint8_t>(a >> 24), static_cast<uint8_t>(a >> 16),
                              static_cast<uint8_t>(a >> 8), 0};
    packer.announce(bgp::Prefix4::make(bytes, 24), attrs[i * kBlocks / prefixes]);
  }
  Feed feed;
  feed.updates = packer.finish();
  feed.prefixes = prefixes;
  for (const auto& u : feed.updates) feed.bytes += u.size();
  return feed;
}

}  // namespace kr::bench
