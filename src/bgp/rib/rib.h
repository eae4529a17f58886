// The speaker's routing information base: pure data structure, no I/O.
//
// The session layer feeds it decoded UPDATEs and session events; every call
// appends what changed to a RibChanges:
//   * best-path changes per family (for kernel route injection), and
//   * per-peer Adj-RIB-Out deltas (prefix → attributes to announce, or null to
//     withdraw), to be packed with UpdatePacker and sent.
//
// Typical use by a speaker:
//   Rib rib({.local_as = 64512, .router_id = id});
//   PeerId p = rib.add_peer({.address = ...});
//   rib.peer_up(p, negotiated, changes);        // after Established
//   rib.receive(p, update, changes);            // per decoded UPDATE
//   rib.sweep_stale(p, family, changes);        // on End-of-RIB after GR
//   rib.peer_down(p, gr_families, changes);     // session lost
//   rib.originate(prefix, attrs, changes);      // local routes
//
// Import policy applies to received paths, export policy per target peer,
// both from the RoutingPolicy given to set_policy().
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "bgp/codec/update.h"
#include "bgp/policy/routing_policy.h"
#include "bgp/rib/types.h"

namespace kr::bgp::rib {

class Rib {
 public:
  explicit Rib(RibConfig config);
  ~Rib();
  Rib(const Rib&) = delete;
  Rib& operator=(const Rib&) = delete;

  const RibConfig& config() const;

  // --- peers ---
  // Registers a configured neighbor. Its session is down until peer_up().
  PeerId add_peer(const PeerInfo& info);
  // Forgets the peer: its paths are withdrawn (no graceful restart).
  void remove_peer(PeerId id, RibChanges& changes);
  const PeerInfo* peer(PeerId id) const;

  // The session reached Established. `negotiated` carries the peer's AS,
  // router ID, our local address and the negotiated families. Unless
  // `defer_export` (restarting speaker waiting for EORs, RFC 4724 §4.1), the
  // whole Adj-RIB-Out for the peer is computed into `changes`.
  void peer_up(PeerId id, const PeerInfo& negotiated, RibChanges& changes,
               bool defer_export = false);
  void start_export(PeerId id, RibChanges& changes);
  // The session ended. Paths of the families in `keep_stale` are kept and
  // marked stale (we are its graceful-restart helper); all others are removed.
  void peer_down(PeerId id, const std::vector<Family>& keep_stale, RibChanges& changes);
  // Drops the peer's paths in `family` still marked stale: on its End-of-RIB,
  // or when its restart timer expires.
  void sweep_stale(PeerId id, Family family, RibChanges& changes);

  // --- routes ---
  // Applies one decoded UPDATE from a peer: withdrawals, then announcements
  // (all withdrawn on RFC 7606 treat-as-withdraw). Families the session did
  // not negotiate are ignored; paths looping back to us (own AS in AS_PATH,
  // our ORIGINATOR_ID, our CLUSTER_ID) replace the peer's path by nothing.
  void receive(PeerId from, const UpdateMessage& update, RibChanges& changes);

  // Locally originated paths. Re-originating identical attributes changes
  // nothing and produces no UPDATE.
  void originate(const Prefix4& prefix, const AttrSetPtr& attrs, RibChanges& changes);
  void originate(const Prefix6& prefix, const AttrSetPtr& attrs, RibChanges& changes);
  void withdraw_local(const Prefix4& prefix, RibChanges& changes);
  void withdraw_local(const Prefix6& prefix, RibChanges& changes);

  // --- policy ---
  // Installs a new policy and re-evaluates every path and every export.
  void set_policy(policy::PolicyPtr policy, RibChanges& changes);

  // --- queries ---
  // What the peer currently has from us in `family` (ROUTE-REFRESH answer).
  void adj_rib_out(PeerId id, Family family, PeerOutput& out) const;
  // Paths are stored compactly and handed out by value.
  std::optional<PathEntry> best(const Prefix4& prefix) const;
  std::optional<PathEntry> best(const Prefix6& prefix) const;
  // In arrival order (a replaced path keeps its place).
  std::vector<PathEntry> paths(const Prefix4& prefix) const;
  std::vector<PathEntry> paths(const Prefix6& prefix) const;
  // Calls fn(prefix, path, is_best) for every path of the family P: a
  // prefix's paths in a row in arrival order, prefixes in no particular
  // order. fn must not change the RIB. P is Prefix4 or Prefix6.
  template <class P>
  using PathVisitor = std::function<void(const P& prefix, const PathEntry& path, bool best)>;
  template <class P>
  void for_each_path(const PathVisitor<P>& fn) const;
  std::size_t prefix_count(Family family) const;
  std::size_t interned_attribute_sets() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kr::bgp::rib
