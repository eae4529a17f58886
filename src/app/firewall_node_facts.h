// What the NetworkPolicy firewall needs to know about its own node, read from the Node object
// as upstream's NewNetworkPolicyController does (netpol.md §1, cni-node.md §2-§3).
#pragma once

#include <optional>
#include <string>

#include "controllers/netpol/firewall_inputs.h"
#include "k8s/objects.h"

namespace kr::options {
struct Config;
}

namespace kr::app {

struct FirewallNodeFacts {
  netpol::NodeFacts facts;
  std::optional<std::string> error;  // the node cannot serve the firewall as configured
};

// Name, InternalIP/ExternalIP addresses and pod CIDRs (annotation kube-router.io/pod-cidrs, else
// spec.podCIDRs, else spec.podCIDR). Errors: an enabled family without a node address of that
// family; --netpol-default-deny without pod CIDRs.
FirewallNodeFacts firewall_node_facts(const k8s::Node& node, const options::Config& config);

}  // namespace kr::app
