// The routing table of one address family: every peer's path per prefix
// (Adj-RIB-In and Loc-RIB in one structure), the best path per prefix, and
// each peer's Adj-RIB-Out. Internal to the RIB; used through rib::Rib.
//
// Storage is compact (dest_table.h, prefix_table.h): paths hold 32-bit ids
// of interned attribute sets, so a route costs about 40 bytes.
#pragma once

#include <optional>
#include <unordered_map>
#include <vector>

#include "bgp/rib/dest_table.h"
#include "bgp/rib/rib_context.h"

namespace kr::bgp::rib {

template <class P>
class FamilyRib {
 public:
  FamilyRib(Family family, RibContext& ctx) : family_(family), ctx_(ctx) {}
  FamilyRib(const FamilyRib&) = delete;
  FamilyRib& operator=(const FamilyRib&) = delete;

  // A path from `peer` (attributes already interned and loop-checked).
  void update(PeerId peer, const P& prefix, const AttrSetPtr& received, RibChanges& ch);
  void withdraw(PeerId peer, const P& prefix, RibChanges& ch);

  void mark_stale(PeerId peer);
  void sweep_stale(PeerId peer, RibChanges& ch);
  void remove_peer_paths(PeerId peer, RibChanges& ch);

  // Recomputes the target's Adj-RIB-Out against every best path and emits
  // the differences (session up, policy change).
  void export_all(PeerId target, RibChanges& ch);
  void drop_adj_out(PeerId target);
  void dump_adj_out(PeerId target, PeerOutput& out) const;
  // Re-runs import policy over every stored path (policy change).
  void reimport_all(RibChanges& ch);

  std::optional<PathEntry> best(const P& prefix) const;
  std::vector<PathEntry> paths(const P& prefix) const;
  // fn(prefix, path, is_best) for every path, a prefix's paths in a row in
  // arrival order; prefixes in no particular order.
  template <class Fn>
  void for_each_path(Fn fn) const {
    for (std::size_t pos = 0; pos < dests_.size(); ++pos) {
      const int32_t best = dests_.best(pos);
      for (std::size_t i = 0; i < dests_.path_count(pos); ++i) {
        fn(dests_.prefix(pos), entry(dests_.path(pos, i)), static_cast<int32_t>(i) == best);
      }
    }
  }
  std::size_t size() const { return dests_.size(); }

 private:
  // The best path before an edit, kept by value: the edit may move or
  // overwrite it, and a withdrawal must still report its attributes.
  struct BestBefore {
    AttrSetPtr attrs;
    PeerId peer = kLocalPeer;
  };

  PathEntry entry(const StoredPath& p) const;
  StoredPath make_path(PeerId peer, const P& prefix, const AttrSetPtr& received);
  void release(const StoredPath& p);
  AttrSetPtr import(PeerId peer, const P& prefix, const AttrSetPtr& received);
  BestBefore best_before(std::size_t pos) const;
  // Re-selects the best path of the prefix at `pos` after an edit.
  void reselect(std::size_t pos, const BestBefore& before, RibChanges& ch);
  // Reports a change of best (best == null: no path left) and exports it.
  void best_changed(const P& prefix, const StoredPath* best, const BestBefore& before,
                    RibChanges& ch);
  // Brings one target's Adj-RIB-Out entry for `prefix` up to date.
  void export_to(PeerId target, const P& prefix, const StoredPath* best, RibChanges& ch);
  AttrSetPtr compute_export(PeerState& target, PeerId target_id, const P& prefix,
                            const StoredPath& best);
  // Removes the paths matching `pred` of every prefix, or of the prefix at
  // `pos` (npos: none), re-selecting the best path where one went.
  template <class Pred>
  void remove_paths_if(Pred pred, RibChanges& ch);
  template <class Pred>
  void remove_paths_at(std::size_t pos, Pred pred, RibChanges& ch);

  Family family_;
  RibContext& ctx_;
  DestTable<P> dests_;
  std::unordered_map<PeerId, PrefixTable<P, AttrId>> adj_out_;
};

}  // namespace kr::bgp::rib
