// Vocabulary shared by the RIB's parts and its users (the speaker).
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "bgp/codec/constants.h"
#include "bgp/codec/path_attributes.h"

namespace kr::bgp::rib {

// Index of a peer inside the RIB. kLocalPeer is the speaker itself: paths
// originated through Rib::originate() carry it.
using PeerId = uint32_t;
inline constexpr PeerId kLocalPeer = 0;

struct RibConfig {
  uint32_t local_as = 0;
  uint32_t router_id = 0;  // host order
  // RFC 4456 cluster ID for route reflection; 0 means "use router_id"
  // (kube-router: the rr.server annotation value if it is an IPv4 literal).
  uint32_t cluster_id = 0;
};

// What the RIB knows of a peer. Filled from configuration when the peer is
// added and from the OPEN exchange when its session comes up.
struct PeerInfo {
  IpAddress address;        // the neighbor's address
  IpAddress local_address;  // our address on the session (next-hop self)
  uint32_t asn = 0;         // the peer's AS as negotiated
  uint32_t router_id = 0;   // the peer's BGP identifier
  bool route_reflector_client = false;
  std::vector<Family> families;  // negotiated AFI/SAFIs

  bool has_family(Family f) const;
};

// One path to a prefix, as held in the Loc-RIB (which doubles as the
// Adj-RIB-In: every peer's path is kept, including import-rejected ones so a
// policy change can re-admit them).
struct PathEntry {
  AttrSetPtr attrs;     // after import policy; null when import rejected it
  AttrSetPtr received;  // as received, interned
  PeerId peer = kLocalPeer;
  uint32_t age = 0;    // arrival order; lower is older
  bool stale = false;  // RFC 4724 §4.2: kept across the peer's restart

  bool eligible() const { return attrs != nullptr; }
};

// A best-path change in the Loc-RIB (bgp-wire.md §8: what kernel injection
// consumes). best == nullptr means the prefix has no path any more; previous
// then holds the withdrawn path (its next hop is needed to clean up).
template <class P>
struct BestPathChange {
  P prefix;
  AttrSetPtr best;
  PeerId best_peer = kLocalPeer;
  AttrSetPtr previous;
  PeerId previous_peer = kLocalPeer;
};

// Per-peer outgoing changes of one batch, coalesced per prefix (the last state
// wins, so order never matters): attrs == nullptr means withdraw.
struct PeerOutput {
  std::unordered_map<Prefix4, AttrSetPtr> v4;
  std::unordered_map<Prefix6, AttrSetPtr> v6;
  bool empty() const { return v4.empty() && v6.empty(); }
};

// Everything one RIB operation changed.
struct RibChanges {
  std::vector<BestPathChange<Prefix4>> best4;
  std::vector<BestPathChange<Prefix6>> best6;
  std::unordered_map<PeerId, PeerOutput> out;

  bool empty() const;
  void clear();
};

}  // namespace kr::bgp::rib
