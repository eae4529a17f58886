// Reading a namespace's firewall state back for assertions.
#pragma once

#include <string>

#include "kernel/netfilter/filter_table.h"
#include "kernel/netfilter/ipset_plan.h"
#include "kernel/netfilter/iptables.h"

namespace kr::netpol::testing {

netfilter::FilterTable saved_filter(const std::string& netns, netfilter::IptablesBackend backend,
                                    netfilter::Family family);
netfilter::IpsetTable saved_ipsets(const std::string& netns);
// The rules of every chain the firewall does not own, in order: what must never change.
std::string foreign_rules(const netfilter::FilterTable& table);

}  // namespace kr::netpol::testing
