// What the proxy needs to know about its own node (proxy.md §1.2): the node IP per family
// (source of VIP routes, NodePort address, SNAT address), all node IPs (hairpin of node ports),
// the pod CIDRs (SNAT exemptions) and the host's interface addresses (--nodeport-bindon-all-ip
// and the kube-router-local-ips set).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "controllers/proxy/cidr.h"
#include "k8s/objects.h"

namespace kr::proxy {

struct NodeFacts {
  std::string name;      // matches EndpointSlice endpoints[].nodeName for local endpoints
  IpAddress primary_ip;  // first InternalIP, else first ExternalIP
  IpAddress best_v4;     // empty when the node has no IPv4 address
  IpAddress best_v6;
  // InternalIPs then ExternalIPs, every family, in the Node's order (hairpin rules, §6).
  std::vector<IpAddress> node_ips;
  std::vector<Cidr> pod_cidrs;  // this node's pod CIDRs, both families; empty without --run-router
  // Addresses on host interfaces whose names contain none of dummy, kube, docker (§4.3, §5.1).
  std::vector<IpAddress> local_addresses;

  const IpAddress& best_ip(Family f) const { return f == Family::kIPv4 ? best_v4 : best_v6; }
  // The node programs a family when the Node object has an address of it (§1.2).
  bool capable(Family f) const { return !best_ip(f).empty(); }
};

struct NodeFactsResult {
  NodeFacts facts;
  std::optional<std::string> error;  // e.g. "node n1 has no InternalIP or ExternalIP address"
};

struct NodeFactsOptions {
  bool run_router = true;  // pod CIDRs are read only with --run-router (§1.2)
  bool enable_ipv4 = true;
  bool enable_ipv6 = false;
};

// Everything but local_addresses, from the Node object.
NodeFactsResult node_facts_from(const k8s::Node& node, const NodeFactsOptions& options);

struct InterfaceAddress {
  std::string interface;
  IpAddress address;
};

// The addresses that count as the host's own: interfaces named like kube-dummy-if (service
// VIPs), kube-bridge or docker0 are left out (§5.1). Sorted, without duplicates.
std::vector<IpAddress> host_local_addresses(std::span<const InterfaceAddress> addresses);

}  // namespace kr::proxy
