// The chains that do not depend on pods or policies (netpol.md §7.1, §7.2, §7.4, §9): the
// shared COMMON / DEFAULT / TAIL chains, the head of KUBE-ROUTER-INPUT (traffic to service
// ranges and node ports is judged after DNAT, not here) and the tail every KUBE-ROUTER-*
// chain ends with, and the hooks from the built-in chains.
#pragma once

#include <string>
#include <vector>

#include "controllers/netpol/firewall_inputs.h"
#include "kernel/netfilter/filter_plan.h"

namespace kr::netpol {

inline constexpr std::string_view kInputChain = "KUBE-ROUTER-INPUT";
inline constexpr std::string_view kForwardChain = "KUBE-ROUTER-FORWARD";
inline constexpr std::string_view kOutputChain = "KUBE-ROUTER-OUTPUT";
inline constexpr std::string_view kCommonChain = "KUBE-NWPLCY-COMMON";
inline constexpr std::string_view kDefaultChain = "KUBE-NWPLCY-DEFAULT";
inline constexpr std::string_view kTailChain = "KUBE-NWPLCY-TAIL";

// Whether the firewall owns a chain: KUBE-ROUTER-INPUT/FORWARD/OUTPUT, KUBE-NWPLCY-*,
// KUBE-POD-FW-*.
bool is_firewall_chain(std::string_view chain);
// Whether the firewall owns an ipset: KUBE-SRC-*, KUBE-DST-* and kube-router-local-pods, with
// or without the inet6: prefix.
bool is_firewall_ipset(std::string_view set);

// INPUT/FORWARD/OUTPUT -> KUBE-ROUTER-*, each kept at position 1, with upstream's comments
// (so a node taken over from upstream kube-router keeps one jump, not two).
std::vector<netfilter::PinnedRule> hook_rules();

std::vector<std::string> common_chain(Family f);
std::vector<std::string> default_chain();
// With --netpol-default-deny, pod-CIDR traffic no pod chain accepted is rejected (§9).
std::vector<std::string> tail_chain(Family f, const FirewallSettings& settings,
                                    const std::vector<Cidr>& pod_cidrs);
// Exemptions at the head of KUBE-ROUTER-INPUT.
std::vector<std::string> input_exemptions(Family f, const FirewallSettings& settings);
// The two rules every KUBE-ROUTER-* chain ends with.
std::vector<std::string> top_level_tail();

}  // namespace kr::netpol
