// What kube-router state a network namespace holds, by name: iptables chains of ours and rules
// in other chains that point at them (both backends, both families, every table), ipsets of
// ours, IPVS virtual services and kube-dummy-if. --cleanup-config reads it before and after
// cleaning to report what it removed and what stayed.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kr::app {

struct KernelInventory {
  // "<backend> <family> <table> <chain>", e.g. "legacy IPv4 filter KUBE-ROUTER-INPUT".
  std::set<std::string> chains;
  // Rules in chains not ours that jump to our chains, match our sets, or SNAT IPVS traffic:
  // "<backend> <family> <table>: -A INPUT ...".
  std::set<std::string> rules;
  std::set<std::string> ipsets;
  std::optional<size_t> ipvs_services;  // nullopt when the kernel has no IPVS
  bool dummy_interface = false;         // kube-dummy-if exists
};

// Reads the namespace at `netns_path` (empty: our own). A tool that is missing or fails leaves
// its part empty: this is a report, not a check.
KernelInventory take_inventory(const std::string& netns_path = {});

// Human-readable items in `before` that are gone in `after` (removed) and items in `after`
// (remaining), e.g. "chain legacy IPv4 filter KUBE-ROUTER-INPUT", "3 IPVS services".
struct InventoryChange {
  std::vector<std::string> removed;
  std::vector<std::string> remaining;
};
InventoryChange compare_inventories(const KernelInventory& before, const KernelInventory& after);

// Parses one `iptables-save` output (any tables) into `inventory`; `where` is
// "<backend> <family>". Exposed for tests.
void add_saved_rules(const std::string& save_output, const std::string& where,
                     KernelInventory& inventory);

// True for the names of chains and ipsets kube-router creates (KUBE-ROUTER-*, KUBE-POD-FW-*,
// KUBE-NWPLCY-*; KUBE-SRC-*, KUBE-DST-*, kube-router-*, also inet6:-prefixed).
bool is_kube_router_chain(const std::string& name);
bool is_kube_router_ipset(const std::string& name);

}  // namespace kr::app
