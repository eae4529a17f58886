// Small constructors for the objects the proxy reads, and an ipvsadm-like rendering of the
// desired state, so tests state only what matters to them and read like `ipvsadm -Ln`.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "controllers/proxy/endpoint_record.h"
#include "controllers/proxy/node_facts.h"
#include "controllers/proxy/proxy_settings.h"
#include "controllers/proxy/service_record.h"
#include "controllers/proxy/service_state.h"
#include "k8s/objects.h"

namespace kr::proxy::testing {

k8s::ServicePort port(std::string name, int port, std::string protocol = "TCP", int node_port = 0);

// A status.loadBalancer.ingress entry.
k8s::LoadBalancerIngress ingress(std::string ip, std::string ip_mode = "");

// A ClusterIP Service; cluster_ips may hold one address or the dual-stack pair.
k8s::Service service(std::string ns, std::string name, std::vector<std::string> cluster_ips,
                     std::vector<k8s::ServicePort> ports);

struct EndpointSpec {
  std::string ip;
  std::string node = "node-a";
  std::optional<bool> ready = true;
  std::optional<bool> serving = true;
  std::optional<bool> terminating = false;
};

// An EndpointSlice labelled kubernetes.io/service-name=<service>; address type from the first
// endpoint's address (IPv4 unless it contains ':').
std::shared_ptr<const k8s::EndpointSlice> slice(std::string ns, std::string name,
                                                std::string service,
                                                std::vector<std::pair<std::string, int>> ports,
                                                std::vector<EndpointSpec> endpoints);

// Node "node-a": InternalIP 192.168.1.10 (and fd00:1::10 when dual), pod CIDR 10.244.1.0/24
// (and fd00:244:1::/64), local addresses the node IPs plus 127.0.0.1 (and ::1).
NodeFacts node_a(bool dual_stack = false);

// Defaults of the flags, with strict validation off (tests of validation turn it on).
ProxySettings default_settings();

// read_service + read_endpoints + build_service_state; the Service must not be skipped.
ServiceState build(const k8s::Service& service,
                   const std::vector<std::shared_ptr<const k8s::EndpointSlice>>& slices,
                   const NodeFacts& node = node_a(),
                   const ProxySettings& settings = default_settings());

// One line per virtual service, sorted: "TCP 10.96.0.50:80 rr -> 10.244.1.5:8080,10.244.2.7:8080"
// with " persistent 10800" and " flags 0x18" when set, and "-> (none)" without destinations.
std::vector<std::string> ipvs_table(const ServiceState& state);
std::vector<std::string> ipvs_table(const std::vector<DesiredVirtualService>& services);

std::vector<std::string> texts(const std::vector<IpAddress>& ips);

}  // namespace kr::proxy::testing
