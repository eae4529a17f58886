// The routing table of one address family: every peer's path per prefix
// (Adj-RIB-In and Loc-RIB in one structure), the best path per prefix, and
// each peer's Adj-RIB-Out. Internal to the RIB; used through rib::Rib.
//
// Storage is a hash map keyed by the compact prefix; paths hold interned
// attribute sets, so memory per route is a few pointers.
#pragma once

#include <boost/container/small_vector.hpp>
#include <unordered_map>
#include <vector>

#include "bgp/rib/rib_context.h"

namespace kr::bgp::rib {

template <class P>
class FamilyRib {
 public:
  FamilyRib(Family family, RibContext& ctx) : family_(family), ctx_(ctx) {}

  // A path from `peer` (attributes already interned and loop-checked).
  void update(PeerId peer, const P& prefix, const AttrSetPtr& received, RibChanges& ch);
  void withdraw(PeerId peer, const P& prefix, RibChanges& ch);

  void mark_stale(PeerId peer);
  void sweep_stale(PeerId peer, RibChanges& ch);
  void remove_peer_paths(PeerId peer, RibChanges& ch);

  // Recomputes the target's Adj-RIB-Out against every best path and emits
  // the differences (session up, policy change).
  void export_all(PeerId target, RibChanges& ch);
  void drop_adj_out(PeerId target) { adj_out_.erase(target); }
  void dump_adj_out(PeerId target, PeerOutput& out) const;
  // Re-runs import policy over every stored path (policy change).
  void reimport_all(RibChanges& ch);

  const PathEntry* best(const P& prefix) const;
  std::vector<PathEntry> paths(const P& prefix) const;
  std::size_t size() const { return dests_.size(); }

 private:
  struct Destination {
    // At most one per peer; nearly always exactly one, held inline so a
    // prefix costs one allocation (its hash node), not two.
    boost::container::small_vector<PathEntry, 1> paths;
    int32_t best = -1;  // index into paths, -1 when none is eligible
  };

  AttrSetPtr import(PeerId peer, const P& prefix, const AttrSetPtr& received);
  // Re-selects the best path; reports and exports a change of best.
  // The best path before an edit, kept by value: the edit may move or
  // overwrite it, and a withdrawal must still report its attributes.
  struct BestBefore {
    AttrSetPtr attrs;
    PeerId peer = kLocalPeer;
  };
  static BestBefore best_before(const Destination& d);
  void reselect(const P& prefix, Destination& d, const BestBefore& before, RibChanges& ch);
  // Brings one target's Adj-RIB-Out entry for `prefix` up to date.
  void export_to(PeerId target, const P& prefix, const Destination* d, RibChanges& ch);
  AttrSetPtr compute_export(PeerState& target, PeerId target_id, const P& prefix,
                            const PathEntry& best);
  // Removes `d` from the table when it holds no path any more.
  void erase_if_empty(typename std::unordered_map<P, Destination>::iterator it);

  Family family_;
  RibContext& ctx_;
  std::unordered_map<P, Destination> dests_;
  std::unordered_map<PeerId, std::unordered_map<P, AttrSetPtr>> adj_out_;
};

}  // namespace kr::bgp::rib
