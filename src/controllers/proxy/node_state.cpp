#include "controllers/proxy/node_state.h"

#include "controllers/proxy/rule_text.h"

namespace kr::proxy {

NodeState build_node_state(const NodeFacts& node, const ProxySettings& settings,
                           bool random_fully) {
  NodeState state;
  for (const Family family : kBothFamilies) {
    FamilyNodeState& f = state.families[static_cast<int>(family)];
    if (!node.capable(family)) {
      continue;
    }
    f.enabled = true;
    if (settings.ipvs_permit_all) {
      f.services_chain = services_chain_rules(family);
      f.services_jump = services_jump_rule(family);
    }
    const IpAddress& node_ip = node.best_ip(family);
    if (settings.masquerade_all) {
      f.masquerade.push_back(masquerade_rule(std::nullopt, node_ip, random_fully));
    }
    for (const Cidr& cidr : node.pod_cidrs) {
      if (cidr.family() == family) {
        f.masquerade.push_back(masquerade_rule(cidr, node_ip, random_fully));
      }
    }
    for (const IpAddress& ip : node.local_addresses) {
      if (family_of(ip) == family) {
        f.local_ips.push_back(ip);
      }
    }
  }
  return state;
}

}  // namespace kr::proxy
