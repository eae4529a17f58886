// --cleanup-config for the firewall (cleanup.md §4): removes every chain, rule and ipset this
// controller (or upstream kube-router's iptables firewall, which uses the same names) made, in
// both iptables backends and both families, and nothing else. Unlike upstream it never
// rewrites the whole table (other software's rules added meanwhile survive) and it also
// removes KUBE-NWPLCY-TAIL and kube-router-local-pods, which upstream leaves behind.
#pragma once

#include <string>

#include "kernel/netfilter/ipset.h"
#include "kernel/netfilter/iptables.h"

namespace kr::netpol {

// Removes the firewall's chains from both families of one backend: our jumps from INPUT,
// FORWARD and OUTPUT are deleted by rule text, then our chains are flushed and deleted. A chain
// some other software's rule still jumps to is flushed and kept (logged). Returns false when a
// tool failed.
bool remove_firewall_chains(netfilter::Iptables& iptables);

// Destroys the firewall's ipsets (KUBE-SRC-*, KUBE-DST-*, kube-router-local-pods and their
// inet6: variants). A set still in use by some other rule stays (logged). Returns false when
// any set stayed.
bool remove_firewall_ipsets(netfilter::Ipset& ipset);

// Both backends' chains, then the ipsets. `netns_path` as for netfilter::make_iptables.
// Returns true when everything the firewall owns is gone.
bool cleanup_network_policy(const std::string& netns_path = {});

}  // namespace kr::netpol
