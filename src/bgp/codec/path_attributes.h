// The set of path attributes one route carries.
//
// A decoded UPDATE yields one immutable PathAttributes shared (refcounted) by
// all of its NLRI; the RIB interns them further so that a million routes with
// the same attributes hold one copy. `next_hop` is the route's effective next
// hop: the NEXT_HOP attribute for classic IPv4 NLRI, the MP_REACH_NLRI global
// next hop for multiprotocol NLRI (see with_next_hop()).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bgp/codec/as_path.h"
#include "bgp/codec/constants.h"
#include "bgp/codec/ip.h"

namespace kr::bgp {

// RFC 4271 §5.1.7 AGGREGATOR, with the AS always held as 4 octets.
struct Aggregator {
  uint32_t asn = 0;
  uint32_t address = 0;  // IPv4, host order
  bool operator==(const Aggregator&) const = default;
};

// An attribute this speaker does not interpret (extended, IPv6-extended and
// large communities, anything unknown), kept with its flags for pass-through.
struct RawAttribute {
  uint8_t flags = 0;  // extended-length bit cleared; the encoder recomputes it
  uint8_t type = 0;
  Bytes value;
  bool operator==(const RawAttribute&) const = default;
};

// Well-known communities (RFC 1997).
inline constexpr uint32_t kCommunityNoExport = 0xFFFFFF01;
inline constexpr uint32_t kCommunityNoAdvertise = 0xFFFFFF02;

struct PathAttributes {
  std::optional<Origin> origin;
  std::optional<AsPath> as_path;
  std::optional<IpAddress> next_hop;
  // RFC 2545 link-local second next hop of a 32-byte MP_REACH next hop.
  std::optional<IpAddress> link_local_next_hop;
  std::optional<uint32_t> med;
  std::optional<uint32_t> local_pref;
  bool atomic_aggregate = false;
  std::optional<Aggregator> aggregator;
  std::vector<uint32_t> communities;
  std::optional<uint32_t> originator_id;  // host order
  std::vector<uint32_t> cluster_list;     // host order
  std::vector<RawAttribute> other;        // ascending type

  bool operator==(const PathAttributes&) const = default;
  std::size_t hash() const;
  // One line for logs: "origin=i as_path=[64512] next_hop=10.0.1.10 ...".
  std::string to_string() const;
};

using AttrSetPtr = std::shared_ptr<const PathAttributes>;

// A copy of `attrs` with next_hop (and the link-local one) replaced; returns
// `attrs` itself when nothing changes.
AttrSetPtr with_next_hop(const AttrSetPtr& attrs, const IpAddress& next_hop,
                         const std::optional<IpAddress>& link_local = std::nullopt);

const char* origin_letter(Origin o);          // "i", "e", "?"
std::string community_to_string(uint32_t c);  // "65535:65281"

}  // namespace kr::bgp
