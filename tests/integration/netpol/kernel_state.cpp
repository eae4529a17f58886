#include "kernel_state.h"

#include "controllers/netpol/static_chains.h"
#include "kernel/netfilter/ipset.h"

namespace kr::netpol::testing {

netfilter::FilterTable saved_filter(const std::string& netns, netfilter::IptablesBackend backend,
                                    netfilter::Family family) {
  return netfilter::parse_filter_save(
      netfilter::make_iptables(backend, "/var/run/netns/" + netns)->save_filter(family));
}

netfilter::IpsetTable saved_ipsets(const std::string& netns) {
  return netfilter::parse_ipset_save(netfilter::make_ipset("/var/run/netns/" + netns)->save());
}

std::string foreign_rules(const netfilter::FilterTable& table) {
  std::string out;
  for (const std::string& chain : table.chain_names) {
    if (is_firewall_chain(chain)) continue;
    out += ":" + chain + "\n";
    for (const std::string& rule : table.chain(chain)) {
      if (rule.find("kube-router netpol") != std::string::npos) continue;  // our hooks
      out += rule + "\n";
    }
  }
  return out;
}

}  // namespace kr::netpol::testing
