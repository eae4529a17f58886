// The chain (and ipsets) of one policy, one direction, one family (netpol.md §7.6, §7.7).
//
// Each allowed (peer, port) combination is a pair of rules with the same match: the first sets
// the "allowed" mark, the second returns to the pod chain. Peers are matched through ipsets:
// the rule's pod peers (hash:ip), its ipBlocks with excepts already subtracted (hash:net), and
// for named ports the pods on which the name resolves to each number (hash:ip). The pod chain
// only jumps here for traffic to (ingress) or from (egress) a pod the policy selects, so the
// selected pods need no set of their own.
#pragma once

#include <string>

#include "controllers/netpol/cluster_index.h"
#include "controllers/netpol/desired_state.h"
#include "controllers/netpol/policy_resolver.h"

namespace kr::netpol {

// Adds the chain (and its sets) to `out` and returns the chain's name.
std::string add_policy_chain(const ResolvedPolicy& policy, Direction d, Family f,
                             const ClusterIndex& cluster, FamilyRuleset& out);

}  // namespace kr::netpol
