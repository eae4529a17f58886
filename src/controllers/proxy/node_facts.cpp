#include "controllers/proxy/node_facts.h"

#include <algorithm>

#include "fmt/format.h"

namespace kr::proxy {
namespace {

constexpr std::string_view kPodCidrAnnotation = "kube-router.io/pod-cidr";
constexpr std::string_view kPodCidrsAnnotation = "kube-router.io/pod-cidrs";

std::vector<IpAddress> addresses_of_type(const k8s::Node& node, std::string_view type) {
  std::vector<IpAddress> out;
  for (const k8s::NodeAddress& a : node.addresses) {
    if (a.type == type) {
      if (auto ip = IpAddress::parse(a.address)) {
        out.push_back(*ip);
      }
    }
  }
  return out;
}

std::optional<IpAddress> first_of(const std::vector<IpAddress>& ips,
                                  std::optional<Family> family = std::nullopt) {
  for (const IpAddress& ip : ips) {
    if (!family || family_of(ip) == *family) {
      return ip;
    }
  }
  return std::nullopt;
}

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    out.emplace_back(text.substr(start, comma - start));
    if (comma == std::string_view::npos) {
      return out;
    }
    start = comma + 1;
  }
}

// §1.2: the single CIDR (annotation kube-router.io/pod-cidr, else spec.podCIDR) and the list
// (annotation kube-router.io/pod-cidrs, else spec.podCIDRs) must both exist.
std::optional<std::string> read_pod_cidrs(const k8s::Node& node, std::vector<Cidr>& out) {
  std::string single(node.meta.annotations.get(kPodCidrAnnotation).value_or(node.pod_cidr));
  if (single.empty()) {
    return fmt::format("node {} has neither annotation {} nor spec.podCIDR", node.meta.name,
                       kPodCidrAnnotation);
  }
  std::vector<std::string> list = node.pod_cidrs;
  if (auto annotated = node.meta.annotations.get(kPodCidrsAnnotation)) {
    list = split_commas(*annotated);
  }
  if (list.empty()) {
    return fmt::format("node {} has neither annotation {} nor spec.podCIDRs", node.meta.name,
                       kPodCidrsAnnotation);
  }
  list.insert(list.begin(), single);
  for (const std::string& text : list) {
    const auto cidr = Cidr::parse(text);
    if (!cidr) {
      return fmt::format("node {}: pod CIDR \"{}\" is not a CIDR", node.meta.name, text);
    }
    if (std::find(out.begin(), out.end(), *cidr) == out.end()) {
      out.push_back(*cidr);
    }
  }
  return std::nullopt;
}

}  // namespace

NodeFactsResult node_facts_from(const k8s::Node& node, const NodeFactsOptions& options) {
  NodeFactsResult r;
  NodeFacts& f = r.facts;
  f.name = node.meta.name;
  const auto internal = addresses_of_type(node, "InternalIP");
  const auto external = addresses_of_type(node, "ExternalIP");
  f.node_ips = internal;
  f.node_ips.insert(f.node_ips.end(), external.begin(), external.end());
  const auto primary = first_of(internal) ? first_of(internal) : first_of(external);
  if (!primary) {
    r.error = fmt::format("node {} has no InternalIP or ExternalIP address", node.meta.name);
    return r;
  }
  f.primary_ip = *primary;
  for (const Family family : kBothFamilies) {
    IpAddress best;
    if (family_of(f.primary_ip) == family) {
      best = f.primary_ip;
    } else if (auto ip = first_of(internal, family)) {
      best = *ip;
    } else if (auto ip2 = first_of(external, family)) {
      best = *ip2;
    }
    (family == Family::kIPv4 ? f.best_v4 : f.best_v6) = best;
  }
  // cni-node.md: an enabled family without a node address is a startup error.
  if (options.enable_ipv4 && !f.capable(Family::kIPv4)) {
    r.error = "IPv4 was enabled, but no IPv4 address was found on the node";
    return r;
  }
  if (options.enable_ipv6 && !f.capable(Family::kIPv6)) {
    r.error = "IPv6 was enabled, but no IPv6 address was found on the node";
    return r;
  }
  if (options.run_router) {
    r.error = read_pod_cidrs(node, f.pod_cidrs);
  }
  return r;
}

std::vector<IpAddress> host_local_addresses(std::span<const InterfaceAddress> addresses) {
  std::vector<IpAddress> out;
  for (const InterfaceAddress& a : addresses) {
    const std::string_view name = a.interface;
    if (a.address.empty() || name.find("dummy") != std::string_view::npos ||
        name.find("kube") != std::string_view::npos ||
        name.find("docker") != std::string_view::npos) {
      continue;
    }
    out.push_back(a.address);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace kr::proxy
