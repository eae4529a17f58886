// The pure desired-state builder: cluster objects + node facts + settings -> the chains and
// ipsets of every enabled family (design.md §2). Deterministic: the same inputs (and the same
// cache history) give the same value, byte for byte, so the applier's diff is empty when nothing
// relevant changed. The one thing the history decides is the order of the pods' jumps in the
// KUBE-ROUTER-* chains, newest first (BuildCache::jumps_arrival); upstream leaves it unspecified.
//
// Only what this node enforces is built: chains for the pods running here and for the policies
// selecting at least one of them, with the sets those policies reference. Remote pods appear
// only as members of peer sets (netpol.md §8).
#pragma once

#include "controllers/netpol/build_cache.h"
#include "controllers/netpol/desired_state.h"
#include "controllers/netpol/firewall_inputs.h"

namespace kr::netpol {

// `cache` (kept by the caller across passes) only saves work: the result is the same without.
DesiredState build_desired_state(const ClusterState& cluster, const NodeFacts& node,
                                 const FirewallSettings& settings, BuildCache* cache = nullptr);

}  // namespace kr::netpol
