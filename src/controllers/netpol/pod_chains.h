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

#include "controllers/netpol/cluster_index.h"
#include "controllers/netpol/names.h"

namespace kr::netpol {

// A policy chain the pod is handed to.
struct PolicyJump {
  std::string chain;
  Direction direction;
  std::string policy_key;  // namespace/name, for the comment
};

// Rules of the pod's chain for address `ip` of family f. `jumps` lists the policies selecting
// the pod; a direction without any is allowed by default.
std::vector<std::string> pod_chain_rules(const PodEntry& pod, std::string_view ip, Family f,
                                         const std::vector<PolicyJump>& jumps);

// The jumps from KUBE-ROUTER-INPUT/FORWARD/OUTPUT to the pod's chain.
struct TopLevelJumps {
  std::vector<std::string> input, forward, output;
};
void add_pod_jumps(const PodEntry& pod, std::string_view ip, Family f, const std::string& chain,
                   TopLevelJumps& out);

}  // namespace kr::netpol
