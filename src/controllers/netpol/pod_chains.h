// The firewall chain of one local pod and the jumps to it (netpol.md §7.3, §7.5).
//
// A packet to or from the pod runs through its chain: established traffic and the ICMP of
// COMMON pass, traffic from the node itself is accepted, then each direction the pod is
// isolated in is handed to the chains of the policies selecting it (no policy: the DEFAULT
// chain marks everything allowed). Whatever no rule marked is logged (NFLOG group 100, rate
// limited) and rejected; what was marked gets the "passed" mark the KUBE-ROUTER-* chains
// accept on.
#pragma once

#include <string>
#include <vector>

#include "controllers/netpol/build_cache.h"
#include "controllers/netpol/cluster_index.h"
#include "controllers/netpol/names.h"

namespace kr::netpol {

// A policy chain the pod is handed to (views into the policy's compilation).
struct PolicyJump {
  std::string_view chain;
  Direction direction;
  std::string_view policy_key;  // namespace/name, for the comment
};

// The parts of the pod's chain and jumps for address `ip` that do not depend on policies.
PodRules make_pod_rules(const PodEntry& pod, std::string_view ip, Family f);

// The pod's chain: `jumps` lists the policies selecting the pod; a direction without any is
// allowed by default.
std::vector<std::string> pod_chain_rules(const PodRules& pod, std::string_view ip, Family f,
                                         const std::vector<PolicyJump>& jumps);

}  // namespace kr::netpol
