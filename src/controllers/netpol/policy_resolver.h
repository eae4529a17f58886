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
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "controllers/netpol/cidr.h"
#include "controllers/netpol/cluster_index.h"
#include "controllers/netpol/names.h"

namespace kr::netpol {

struct PortSpec {
  std::string protocol;     // API spelling: TCP, UDP, SCTP
  std::optional<int> port;  // numeric port; nullopt with an empty name: every port
  std::optional<int> end_port;
  std::string name;  // named port (IANA_SVC_NAME)
};

struct ResolvedRule {
  bool any_peer = false;              // no peers: every source (ingress) / destination (egress)
  std::vector<const PodEntry*> pods;  // union of the pod peers, sorted, unique
  std::vector<Cidr> blocks;           // ipBlock peers minus their excepts, both families
  std::vector<PortSpec> ports;        // empty: every port and protocol
};

struct ResolvedPolicy {
  const k8s::NetworkPolicy* policy = nullptr;
  std::string key;  // namespace/name
  bool ingress = false;
  bool egress = false;
  std::vector<const PodEntry*> targets;  // sorted
  std::vector<ResolvedRule> ingress_rules;
  std::vector<ResolvedRule> egress_rules;
  bool rejected = false;

  bool has(Direction d) const { return d == Direction::kIngress ? ingress : egress; }
  const std::vector<ResolvedRule>& rules(Direction d) const {
    return d == Direction::kIngress ? ingress_rules : egress_rules;
  }
};

// nullopt when the policy cannot even select pods (invalid podSelector or policyTypes); the
// reason is added to `problems`, as is the reason a policy is rejected.
std::optional<ResolvedPolicy> resolve_policy(const k8s::NetworkPolicy& policy,
                                             const ClusterIndex& cluster,
                                             std::vector<Problem>& problems);

// Whether text is a valid IANA_SVC_NAME (the API's rule for named ports): 1-15 characters of
// a-z, 0-9 and '-', at least one letter, no leading, trailing or doubled '-'.
bool is_valid_port_name(std::string_view text);

}  // namespace kr::netpol
