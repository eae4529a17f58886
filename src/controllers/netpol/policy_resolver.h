// A NetworkPolicy checked against the API's validation rules and resolved against the cluster:
// which pods it selects, and per rule which peers and ports it allows. Follows the
// networking.k8s.io/v1 definition where upstream kube-router differs (netpol.md §4; each
// difference is listed in docs/differences.md):
//  - policyTypes unset: Ingress, plus Egress when the policy has egress rules (API defaulting);
//  - an ipBlock peer is exclusive: a peer with ipBlock and a selector is invalid;
//  - except entries are subtracted exactly (no nomatch entries to lose against other peers),
//    and 0.0.0.0/0 / ::/0 cover the whole family;
//  - a named port of an egress rule resolves on the destination pods, also for ipBlock peers and
//    for rules without peers (cluster-wide);
//  - a port without protocol is TCP.
// A policy that breaks a rule is rejected: it contributes no allow rule, but still isolates the
// pods it selects in its directions (it fails closed, as upstream's nftables backend does).
//
// Two steps: compile_policy() does everything that depends on the policy object alone (it is
// immutable, so the result can be kept while the object lives), resolve() selects pods in the
// cluster as it is now.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "controllers/netpol/cidr.h"
#include "controllers/netpol/cluster_index.h"
#include "controllers/netpol/names.h"
#include "kernel/netfilter/string_list.h"

namespace kr::netpol {

struct PortSpec {
  std::string protocol;     // API spelling: TCP, UDP, SCTP
  std::optional<int> port;  // numeric port; nullopt with an empty name: every port
  std::optional<int> end_port;
  std::string name;  // named port (IANA_SVC_NAME)
  // A named port's set definition: protocol, name and the pods it is looked up on (the policy's
  // own for ingress, "*" for every pod for egress).
  std::string named_definition;
};

// One podSelector/namespaceSelector peer.
struct PodPeer {
  std::string definition;                          // canonical text of the two selectors
  std::string namespaces_definition;               // canonical namespaceSelector, when set
  const k8s::LabelSelector* namespaces = nullptr;  // null: the policy's own namespace
  const k8s::LabelSelector* pods = nullptr;        // null: every pod of those namespaces
};

struct CompiledRule {
  bool any_peer = false;  // no peers: every source (ingress) / destination (egress)
  std::vector<PodPeer> pod_peers;
  // The pod peers' definitions, sorted and joined: equal for rules that select the same pods
  // by construction, so they can share one ipset.
  std::string pods_definition;
  std::vector<Cidr> blocks;     // ipBlock peers minus their excepts, both families
  std::vector<PortSpec> ports;  // empty: every port and protocol
  // Per family: the peer sets' names (names.h set_name; "" when the rule has no such peers in
  // the family) and the ipBlock set's members.
  std::array<std::string, 2> pods_set;
  std::array<std::string, 2> blocks_set;
  std::array<netfilter::StringList, 2> block_members;
};

struct CompiledPolicy {
  std::shared_ptr<const k8s::NetworkPolicy> object;  // keeps the selectors above alive
  std::string key;                                   // namespace/name
  uint64_t serial = 0;  // given to this policy object alone (BuildCache); 0 outside a cache
  bool ingress = false;
  bool egress = false;
  bool rejected = false;
  std::string targets_definition;  // namespace and canonical podSelector
  std::vector<CompiledRule> ingress_rules;
  std::vector<CompiledRule> egress_rules;
  std::array<std::array<std::string, 2>, 2> chain_names;  // by direction, then family

  std::string_view ns() const { return object->meta.namespace_.view(); }
  bool has_named_ports(Direction d) const {
    for (const CompiledRule& rule : rules(d)) {
      for (const PortSpec& port : rule.ports) {
        if (!port.name.empty()) return true;
      }
    }
    return false;
  }
  bool has(Direction d) const { return d == Direction::kIngress ? ingress : egress; }
  const std::vector<CompiledRule>& rules(Direction d) const {
    return d == Direction::kIngress ? ingress_rules : egress_rules;
  }
};

struct PolicyCompilation {
  std::optional<CompiledPolicy> policy;  // nullopt: it cannot even select pods
  std::vector<Problem> problems;         // why it is rejected or unusable
};

PolicyCompilation compile_policy(std::shared_ptr<const k8s::NetworkPolicy> policy);

struct ResolvedRule {
  const CompiledRule* spec = nullptr;
  const Selection* pods = nullptr;  // union of the pod peers; null when the rule has none
};

struct ResolvedPolicy {
  const CompiledPolicy* spec = nullptr;
  const Selection* targets = nullptr;
  bool has_local_targets = false;
  std::vector<ResolvedRule> ingress_rules;
  std::vector<ResolvedRule> egress_rules;

  const std::vector<ResolvedRule>& rules(Direction d) const {
    return d == Direction::kIngress ? ingress_rules : egress_rules;
  }
};

// The pods the policy selects and each rule's pod peers, in `cluster` as it is now (memoized in
// the cluster's cache). With `only_for_local_targets`, rules are left unresolved when no
// selected pod runs on this node (the policy is enforced elsewhere).
ResolvedPolicy resolve(const CompiledPolicy& policy, const ClusterIndex& cluster,
                       bool only_for_local_targets = false);

// Whether text is a valid IANA_SVC_NAME (the API's rule for named ports): 1-15 characters of
// a-z, 0-9 and '-', at least one letter, no leading, trailing or doubled '-'.
bool is_valid_port_name(std::string_view text);

}  // namespace kr::netpol
