// Names of the chains and ipsets the firewall owns, and the comments on its rules.
//
// Names follow upstream's scheme (netpol.md §5): a prefix plus the first 16 characters of the
// RFC 4648 base32 encoding of SHA-256 over identifying strings, IPv6 set names prefixed
// "inet6:". Deliberate differences (docs/differences.md): upstream mixes a per-sync timestamp
// into chain names, so every sync renames (and rewrites) every chain, ours leave it out so an
// unchanged pod or policy keeps its chain and causes no kernel write; and sets are named by
// what defines their members rather than by policy and rule index, so identical peers share one
// set.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "kernel/netfilter/family.h"

namespace kr::netpol {

using netfilter::Family;

enum class Direction { kIngress, kEgress };

// "ingress" / "egress".
std::string_view direction_name(Direction d);

// First 16 characters of base32(SHA-256(input)).
std::string hash16(std::string_view input);

// KUBE-POD-FW-<hash(ns + pod)>: same name in both families' tables, as upstream.
std::string pod_chain_name(std::string_view ns, std::string_view pod);

// KUBE-NWPLCY-<hash(ns + policy + direction + family)>: one chain per policy, direction and
// family, so ingress rules can never satisfy an egress check (netpol.md §8's quirk).
std::string policy_chain_name(std::string_view ns, std::string_view policy, Direction d, Family f);

// A set named after what defines its members (a canonical text of the peers or ipBlocks it
// stands for; see policy_chains.h), so every rule of every policy with the same peers shares
// one set and a set keeps its name while its members change. KUBE-SRC- for sets matched as
// sources (ingress peers), KUBE-DST- for destinations (egress peers, named ports), "inet6:"
// first for IPv6: upstream's prefixes, which its cleanup and ours look for.
std::string set_name(std::string_view prefix, Family f, std::string_view definition);

// The default-deny set of local pods whose chain is programmed (netpol.md §9).
std::string local_pods_set_name(Family f);

// Scratch set for swaps; carries the KUBE-DST- prefix so upstream's cleanup (and ours) removes
// it should a run ever be interrupted between create and destroy.
std::string swap_set_name(Family f);

// Upstream's comment hygiene: control characters removed (so an object name cannot inject a
// rule), then cut to 120 bytes. We also drop '"', '\'' and '\\', which no Kubernetes name can
// hold, so a comment never needs escaping.
std::string clamp_comment(std::string_view text);

}  // namespace kr::netpol
