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
// the same peers in any number of policies share one set, built once per pass.
#pragma once

#include <map>
#include <string>

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
  std::string add(const ResolvedPolicy& policy, Direction d);

 private:
  struct PeerMatch;
  struct PortMatch;

  std::vector<PeerMatch> peer_matches(const ResolvedRule& rule, Direction d,
                                      netfilter::DesiredIpsets& sets);
  std::vector<PortMatch> port_matches(const ResolvedPolicy& policy, const ResolvedRule& rule,
                                      Direction d, netfilter::DesiredIpsets& sets);
  // Pod addresses by the number the named port has on them, memoized per definition.
  const std::map<int, std::vector<std::string>>& named_port_groups(
      const std::string& definition, const std::vector<const PodEntry*>* pods,
      const PortSpec& port);
  void add_set(netfilter::DesiredIpsets& sets, const std::string& name, std::string_view type,
               std::vector<std::string> members);

  const std::string& set_name_for(std::string_view prefix, const std::string& definition);

  const ClusterIndex& cluster_;
  const Family family_;
  BuildCache& cache_;
  FamilyRuleset& out_;
  std::map<std::string, std::map<int, std::vector<std::string>>> named_ports_;
};

}  // namespace kr::netpol
