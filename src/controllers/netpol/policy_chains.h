// The chains (and ipsets) of the policies, one per policy, direction and family (netpol.md
// §7.6, §7.7).
//
// Each allowed (peer, port) combination is a pair of rules with the same match: the first sets
// the "allowed" mark, the second returns to the pod chain. Peers are matched through ipsets:
// the rule's pod peers (hash:ip), its ipBlocks with excepts already subtracted (hash:net), and
// for named ports the pods on which the name resolves to each number (hash:ip). The pod chain
// only jumps here for traffic to (ingress) or from (egress) a pod the policy selects, so the
// selected pods need no set of their own.
//
// Sets are named after what defines their members (names.h set_name): the pod peers' canonical
// selectors, the ipBlock entries, or the named port with the pods it is looked up on. Rules with
// the same peers in any number of policies share one set.
//
// A chain and its sets are kept from the last pass (BuildCache) while the policy object and the
// versions of the pods it reads (its targets, each rule's peers, and for a named egress port
// every pod) are the same.
#pragma once

#include <functional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "controllers/netpol/build_cache.h"
#include "controllers/netpol/cluster_index.h"
#include "controllers/netpol/desired_state.h"
#include "controllers/netpol/policy_resolver.h"

namespace kr::netpol {

class PolicyChainBuilder {
 public:
  PolicyChainBuilder(const ClusterIndex& cluster, Family family, BuildCache& cache,
                     FamilyRuleset& out)
      : cluster_(cluster), family_(family), cache_(cache), out_(out) {}

  // Adds the chain of `policy` for direction d (and the sets it uses); returns its name.
  const std::string& add(const ResolvedPolicy& policy, Direction d);

 private:
  struct RuleSets;

  // Adds the sets `rule` matches on to the output; says which have members.
  RuleSets add_sets(const ResolvedPolicy& policy, const ResolvedRule& rule, Direction d);
  const BuildCache::PortGroups& named_port_groups(const ResolvedPolicy& policy, Direction d,
                                                  const PortSpec& port);
  std::vector<std::string> make_rules(const ResolvedPolicy& policy, Direction d,
                                      const std::vector<RuleSets>& sets) const;

  const ClusterIndex& cluster_;
  const Family family_;
  BuildCache& cache_;
  FamilyRuleset& out_;
  // This pass's groups of named egress ports, by definition.
  std::unordered_map<std::string, const BuildCache::PortGroups*> cluster_groups_;
};

}  // namespace kr::netpol
