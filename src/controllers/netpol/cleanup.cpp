#include "controllers/netpol/cleanup.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "base/log.h"
#include "controllers/netpol/static_chains.h"
#include "kernel/netfilter/filter_table.h"
#include "kernel/netfilter/ipset_plan.h"

namespace kr::netpol {
namespace {

// The restore document removing our chains from one saved table; empty when there are none.
std::string removal_document(const netfilter::FilterTable& table, netfilter::Family family,
                             netfilter::IptablesBackend backend) {
  std::string deletes, flushes, removals;
  std::vector<std::string> ours;
  for (const std::string& chain : table.chain_names) {
    if (is_firewall_chain(chain)) ours.push_back(chain);
  }
  std::unordered_set<std::string_view> still_referenced;
  for (const std::string& chain : table.chain_names) {
    if (is_firewall_chain(chain)) continue;
    const auto hooks = hook_rules();
    for (const std::string& rule : table.chain(chain)) {
      const bool our_hook = std::any_of(hooks.begin(), hooks.end(), [&](const auto& h) {
        return h.chain == chain && h.rule == rule;
      });
      if (our_hook) {
        deletes += fmt::format("-D {} {}\n", chain, rule);
      } else if (is_firewall_chain(netfilter::rule_target(rule))) {
        still_referenced.insert(netfilter::rule_target(rule));
      }
    }
  }
  for (const std::string& chain : ours) {
    flushes += fmt::format("-F {}\n", chain);
    if (still_referenced.contains(chain)) {
      KR_WARN("{} {}: keeping chain {}: another program's rule jumps to it", backend_name(backend),
              family_name(family), chain);
    } else {
      removals += fmt::format("-X {}\n", chain);
    }
  }
  if (deletes.empty() && flushes.empty()) return {};
  return "*filter\n" + deletes + flushes + removals + "COMMIT\n";
}

}  // namespace

bool remove_firewall_chains(netfilter::Iptables& iptables) {
  bool ok = true;
  for (const netfilter::Family f : netfilter::kFamilies) {
    try {
      const netfilter::FilterTable table = netfilter::parse_filter_save(iptables.save_filter(f));
      const std::string document = removal_document(table, f, iptables.backend());
      if (!document.empty()) {
        iptables.restore_filter(f, document);
        KR_INFO("removed the network policy chains from {} {}", backend_name(iptables.backend()),
                family_name(f));
      }
    } catch (const netfilter::NetfilterError& e) {
      KR_ERROR("network policy cleanup ({} {}): {}", backend_name(iptables.backend()),
               family_name(f), e.what());
      ok = false;
    }
  }
  return ok;
}

bool remove_firewall_ipsets(netfilter::Ipset& ipset) {
  netfilter::IpsetTable sets;
  try {
    sets = netfilter::parse_ipset_save(ipset.save());
  } catch (const netfilter::NetfilterError& e) {
    KR_ERROR("network policy cleanup: {}", e.what());
    return false;
  }
  bool ok = true;
  for (const auto& [name, state] : sets) {
    if (!is_firewall_ipset(name)) continue;
    try {
      ipset.restore(fmt::format("destroy {}\n", name));
    } catch (const netfilter::NetfilterError& e) {
      KR_WARN("network policy cleanup: keeping ipset {}: {}", name, e.what());
      ok = false;
    }
  }
  return ok;
}

bool cleanup_network_policy(const std::string& netns_path) {
  bool ok = true;
  for (const auto backend :
       {netfilter::IptablesBackend::kLegacy, netfilter::IptablesBackend::kNft}) {
    ok = remove_firewall_chains(*netfilter::make_iptables(backend, netns_path)) && ok;
  }
  return remove_firewall_ipsets(*netfilter::make_ipset(netns_path)) && ok;
}

}  // namespace kr::netpol
