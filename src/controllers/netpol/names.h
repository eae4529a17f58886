// Names of the chains and ipsets the firewall owns, and the comments on its rules.
//
// Names are upstream's (netpol.md §5): a prefix plus the first 16 characters of the RFC 4648
// base32 encoding of SHA-256 over identifying strings concatenated without separators, IPv6 set
// names prefixed "inet6:". One deliberate difference: upstream mixes a per-sync timestamp into
// chain names, so every sync renames (and rewrites) every chain; ours leave it out, so an
// unchanged pod or policy keeps its chain and causes no kernel write (docs/differences.md).
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

// Set of the peer pods of rule `rule` (upstream's "...ingressrule<i><family>pod"): KUBE-SRC-
// for ingress sources, KUBE-DST- for egress destinations.
std::string peer_pods_set_name(std::string_view ns, std::string_view policy, Direction d,
                               size_t rule, Family f);
// Set of the ipBlock peers of rule `rule` (upstream's "...<family>ipblock"), hash:net.
std::string peer_ipblock_set_name(std::string_view ns, std::string_view policy, Direction d,
                                  size_t rule, Family f);
// Set of the pods whose named port `port` (index in the rule's ports) resolves to `number`
// (upstream's "...<rule><port><family>namedport", plus the number: one name can map to
// different numbers on different pods). Always KUBE-DST-: named ports are destination ports.
std::string named_port_set_name(std::string_view ns, std::string_view policy, Direction d,
                                size_t rule, size_t port, Family f, int number);

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
