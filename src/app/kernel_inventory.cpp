#include "app/kernel_inventory.h"

#include <fmt/format.h>
#include <linux/netlink.h>

#include <algorithm>
#include <initializer_list>
#include <sstream>
#include <string>
#include <string_view>

#include "kernel/ipvs/kernel_ipvs.h"
#include "kernel/netfilter/command.h"
#include "kernel/netfilter/iptables.h"
#include "kernel/netlink/link.h"

namespace kr::app {
namespace {

constexpr std::string_view kDummyInterface = "kube-dummy-if";  // proxy.md §4

bool starts_with_any(std::string_view name, std::initializer_list<std::string_view> prefixes) {
  return std::ranges::any_of(prefixes,
                             [name](std::string_view prefix) { return name.starts_with(prefix); });
}

// A rule of another chain that is ours: a jump or goto to one of our chains, a match on one of
// our sets, or the proxy's SNAT of IPVS traffic (upstream's cleanup looks for "ipvs" + "SNAT").
bool rule_is_ours(const std::string& rule) {
  std::istringstream words(rule);
  std::string previous;
  for (std::string word; words >> word; previous = word) {
    if ((previous == "-j" || previous == "-g") && is_kube_router_chain(word)) return true;
    if (previous == "--match-set" && is_kube_router_ipset(word)) return true;
  }
  return rule.find("-m ipvs") != std::string::npos && rule.find("-j SNAT") != std::string::npos;
}

void add_ipsets(const std::string& netns_path, KernelInventory& inventory) {
  const auto result = netfilter::run_command({"ipset", "list", "-n"}, {.netns_path = netns_path});
  if (!result.ok()) return;
  std::istringstream lines(result.out);
  for (std::string name; std::getline(lines, name);) {
    if (is_kube_router_ipset(name)) inventory.ipsets.insert(name);
  }
}

void add_ipvs(const std::string& netns_path, KernelInventory& inventory) {
  try {
    inventory.ipvs_services = ipvs::open_kernel_ipvs(netns_path)->list_services().size();
  } catch (const std::exception&) {
    inventory.ipvs_services.reset();  // no IPVS in this kernel
  }
}

void add_dummy_interface(const std::string& netns_path, KernelInventory& inventory) {
  try {
    netlink::Socket socket(NETLINK_ROUTE, netns_path);
    inventory.dummy_interface = netlink::Links(socket).get(kDummyInterface).has_value();
  } catch (const std::exception&) {
    inventory.dummy_interface = false;
  }
}

void add_difference(const std::set<std::string>& before, const std::set<std::string>& after,
                    std::string_view kind, InventoryChange& change) {
  for (const std::string& item : before) {
    if (!after.contains(item)) change.removed.push_back(fmt::format("{} {}", kind, item));
  }
  for (const std::string& item : after) {
    change.remaining.push_back(fmt::format("{} {}", kind, item));
  }
}

}  // namespace

bool is_kube_router_chain(const std::string& name) {
  return starts_with_any(name, {"KUBE-ROUTER-", "KUBE-POD-FW-", "KUBE-NWPLCY-"});
}

bool is_kube_router_ipset(const std::string& name) {
  std::string_view bare = name;
  if (bare.starts_with("inet6:")) bare.remove_prefix(6);
  return starts_with_any(bare, {"KUBE-SRC-", "KUBE-DST-", "kube-router-"});
}

void add_saved_rules(const std::string& save_output, const std::string& where,
                     KernelInventory& inventory) {
  std::istringstream lines(save_output);
  std::string table;
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("*")) {
      table = line.substr(1);
    } else if (line.starts_with(":")) {
      const std::string chain = line.substr(1, line.find(' ') - 1);
      if (is_kube_router_chain(chain)) {
        inventory.chains.insert(fmt::format("{} {} {}", where, table, chain));
      }
    } else if (line.starts_with("-A ")) {
      const std::string chain = line.substr(3, line.find(' ', 3) - 3);
      if (!is_kube_router_chain(chain) && rule_is_ours(line)) {
        inventory.rules.insert(fmt::format("{} {}: {}", where, table, line));
      }
    }
  }
}

KernelInventory take_inventory(const std::string& netns_path) {
  KernelInventory inventory;
  for (const auto backend :
       {netfilter::IptablesBackend::kLegacy, netfilter::IptablesBackend::kNft}) {
    for (const netfilter::Family family : netfilter::kFamilies) {
      // Without -t: every table that exists, and no legacy table gets created by looking.
      const auto saved = netfilter::run_command({netfilter::backend_tool(backend, family, "save")},
                                                {.netns_path = netns_path});
      if (saved.ok()) {
        add_saved_rules(
            saved.out,
            fmt::format("{} {}", netfilter::backend_name(backend), netfilter::family_name(family)),
            inventory);
      }
    }
  }
  add_ipsets(netns_path, inventory);
  add_ipvs(netns_path, inventory);
  add_dummy_interface(netns_path, inventory);
  return inventory;
}

InventoryChange compare_inventories(const KernelInventory& before, const KernelInventory& after) {
  InventoryChange change;
  add_difference(before.chains, after.chains, "chain", change);
  add_difference(before.rules, after.rules, "rule", change);
  add_difference(before.ipsets, after.ipsets, "ipset", change);
  const size_t services_before = before.ipvs_services.value_or(0);
  const size_t services_after = after.ipvs_services.value_or(0);
  if (services_before > services_after) {
    change.removed.push_back(fmt::format("{} IPVS services", services_before - services_after));
  }
  if (services_after > 0) {
    change.remaining.push_back(fmt::format("{} IPVS services", services_after));
  }
  if (before.dummy_interface && !after.dummy_interface) {
    change.removed.push_back(fmt::format("link {}", kDummyInterface));
  }
  if (after.dummy_interface) {
    change.remaining.push_back(fmt::format("link {}", kDummyInterface));
  }
  return change;
}

}  // namespace kr::app
