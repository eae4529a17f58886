// The node-wide part of the desired state (not tied to any Service): the IPVS firewall chain and
// its INPUT jump (proxy.md §5.1), the SNAT rules for IPVS-NATed traffic (§7.1) and the
// kube-router-local-ips set (§5.1). It changes only with the node's addresses and the flags.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "controllers/proxy/node_facts.h"
#include "controllers/proxy/proxy_settings.h"

namespace kr::proxy {

struct FamilyNodeState {
  bool enabled = false;  // the node has an address of this family (§1.2)
  // filter KUBE-ROUTER-SERVICES; the chain exists (empty) even without --ipvs-permit-all.
  std::vector<std::string> services_chain;
  std::optional<std::string> services_jump;  // filter INPUT, position 1 (--ipvs-permit-all)
  std::vector<std::string> masquerade;       // nat POSTROUTING, appended in this order
  std::vector<IpAddress> local_ips;          // kube-router-local-ips members

  friend bool operator==(const FamilyNodeState&, const FamilyNodeState&) = default;
};

struct NodeState {
  std::array<FamilyNodeState, 2> families;  // indexed by Family

  const FamilyNodeState& family(Family f) const { return families[static_cast<int>(f)]; }
  friend bool operator==(const NodeState&, const NodeState&) = default;
};

// random_fully: whether SNAT rules get --random-fully (iptables >= 1.6.2 supports it).
NodeState build_node_state(const NodeFacts& node, const ProxySettings& settings,
                           bool random_fully = true);

}  // namespace kr::proxy
