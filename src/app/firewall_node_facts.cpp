#include "app/firewall_node_facts.h"

#include <arpa/inet.h>

#include <algorithm>

#include "options/kube_router_config.h"

namespace kr::app {
namespace {

constexpr std::string_view kPodCidrsAnnotation = "kube-router.io/pod-cidrs";

bool is_ipv4(const std::string& text) {
  in_addr out{};
  return inet_pton(AF_INET, text.c_str(), &out) == 1;
}

bool is_ipv6(const std::string& text) {
  in6_addr out{};
  return inet_pton(AF_INET6, text.c_str(), &out) == 1;
}

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    if (comma != 0) out.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

// Upstream's GetPodCIDRsFromNodeSpecDualStack: the annotation wins over the spec. spec.podCIDR
// is spec.podCIDRs[0] by the API's definition; it is read when a server fills only that field.
std::vector<std::string> pod_cidrs_of(const k8s::Node& node) {
  if (auto annotated = node.meta.annotations.get(kPodCidrsAnnotation)) {
    return split_commas(*annotated);
  }
  if (!node.pod_cidrs.empty()) {
    return node.pod_cidrs;
  }
  if (!node.pod_cidr.empty()) {
    return {node.pod_cidr};
  }
  return {};
}

}  // namespace

FirewallNodeFacts firewall_node_facts(const k8s::Node& node, const options::Config& config) {
  FirewallNodeFacts out;
  out.facts.name = node.meta.name;
  // InternalIPs then ExternalIPs (cni-node.md §2); a local pod's status.hostIP is one of them.
  for (const std::string_view type : {"InternalIP", "ExternalIP"}) {
    for (const k8s::NodeAddress& a : node.addresses) {
      if (a.type == type && (is_ipv4(a.address) || is_ipv6(a.address))) {
        out.facts.addresses.push_back(a.address);
      }
    }
  }
  const auto& addresses = out.facts.addresses;
  if (config.enable_ipv4 && std::none_of(addresses.begin(), addresses.end(), is_ipv4)) {
    out.error = "IPv4 was enabled, but no IPv4 address was found on the node";
    return out;
  }
  if (config.enable_ipv6 && std::none_of(addresses.begin(), addresses.end(), is_ipv6)) {
    out.error = "IPv6 was enabled, but no IPv6 address was found on the node";
    return out;
  }
  out.facts.pod_cidrs = pod_cidrs_of(node);
  if (out.facts.pod_cidrs.empty() && config.netpol_default_deny) {
    out.error = "failed to get pod CIDRs from node spec (required for --netpol-default-deny)";
  }
  return out;
}

}  // namespace kr::app
