#include "fixtures.h"

#include <algorithm>

#include "fmt/format.h"

namespace kr::proxy::testing {

k8s::ServicePort port(std::string name, int number, std::string protocol, int node_port) {
  k8s::ServicePort p;
  p.name = k8s::Interned(name);
  p.port = number;
  p.protocol = k8s::Interned(protocol);
  p.node_port = node_port;
  return p;
}

k8s::LoadBalancerIngress ingress(std::string ip, std::string ip_mode) {
  k8s::LoadBalancerIngress in;
  in.ip = std::move(ip);
  in.ip_mode = k8s::Interned(ip_mode);
  return in;
}

k8s::Service service(std::string ns, std::string name, std::vector<std::string> cluster_ips,
                     std::vector<k8s::ServicePort> ports) {
  k8s::Service s;
  s.meta.namespace_ = k8s::Interned(ns);
  s.meta.name = std::move(name);
  s.type = k8s::Interned("ClusterIP");
  s.cluster_ip = cluster_ips.empty() ? "" : cluster_ips.front();
  s.cluster_ips = std::move(cluster_ips);
  s.ports = std::move(ports);
  s.session_affinity = k8s::Interned("None");
  return s;
}

std::shared_ptr<const k8s::EndpointSlice> slice(std::string ns, std::string name,
                                                std::string service,
                                                std::vector<std::pair<std::string, int>> ports,
                                                std::vector<EndpointSpec> endpoints) {
  auto s = std::make_shared<k8s::EndpointSlice>();
  s->meta.namespace_ = k8s::Interned(ns);
  s->meta.name = std::move(name);
  s->meta.labels.set(k8s::kServiceNameLabel, service);
  const bool v6 = !endpoints.empty() && endpoints.front().ip.find(':') != std::string::npos;
  s->address_type = k8s::Interned(v6 ? "IPv6" : "IPv4");
  for (auto& [port_name, number] : ports) {
    k8s::EndpointPort p;
    p.name = k8s::Interned(port_name);
    p.port = number;
    p.protocol = k8s::Interned("TCP");
    s->ports.push_back(p);
  }
  for (const EndpointSpec& e : endpoints) {
    k8s::Endpoint ep;
    ep.addresses = {e.ip};
    ep.node_name = k8s::Interned(e.node);
    ep.ready = e.ready;
    ep.serving = e.serving;
    ep.terminating = e.terminating;
    s->endpoints.push_back(ep);
  }
  return s;
}

NodeFacts node_a(bool dual_stack) {
  NodeFacts n;
  n.name = "node-a";
  n.primary_ip = IpAddress::must_parse("192.168.1.10");
  n.best_v4 = n.primary_ip;
  n.node_ips = {n.primary_ip};
  n.pod_cidrs = {*Cidr::parse("10.244.1.0/24")};
  n.local_addresses = {IpAddress::must_parse("127.0.0.1"), n.primary_ip};
  if (dual_stack) {
    n.best_v6 = IpAddress::must_parse("fd00:1::10");
    n.node_ips.push_back(n.best_v6);
    n.pod_cidrs.push_back(*Cidr::parse("fd00:244:1::/64"));
    n.local_addresses.push_back(IpAddress::must_parse("::1"));
    n.local_addresses.push_back(n.best_v6);
  }
  return n;
}

ProxySettings default_settings() {
  ProxySettings s;
  s.validator = ServiceIpValidator(ServiceIpRanges{.strict = false});
  return s;
}

ServiceState build(const k8s::Service& service,
                   const std::vector<std::shared_ptr<const k8s::EndpointSlice>>& slices,
                   const NodeFacts& node, const ProxySettings& settings) {
  auto read = read_service(service, settings.validator);
  if (!read.record) {
    throw std::logic_error("test service " + service.meta.name + " was skipped");
  }
  const auto endpoints = read_endpoints(slices, node.name);
  return build_service_state(*read.record, endpoints.by_port, node, settings);
}

std::vector<std::string> ipvs_table(const std::vector<DesiredVirtualService>& services) {
  std::vector<std::string> lines;
  for (const DesiredVirtualService& vs : services) {
    std::string protocol = ipvs::to_string(vs.key.protocol);
    std::transform(protocol.begin(), protocol.end(), protocol.begin(), ::toupper);
    const std::string address = vs.key.address.is_v6()
                                    ? fmt::format("[{}]", vs.key.address.to_string())
                                    : vs.key.address.to_string();
    std::string line = fmt::format("{} {}:{} {}", protocol, address, vs.key.port, vs.scheduler);
    if (vs.flags & ipvs::flags::kPersistent) {
      line += fmt::format(" persistent {}", vs.timeout);
    }
    if (const auto sched = vs.flags & ~ipvs::flags::kPersistent) {
      line += fmt::format(" flags {:#x}", sched);
    }
    line += " ->";
    std::string sep = " ";
    for (const DesiredDestination& d : vs.destinations) {
      line += sep + (d.address.is_v6() ? fmt::format("[{}]:{}", d.address.to_string(), d.port)
                                       : fmt::format("{}:{}", d.address.to_string(), d.port));
      sep = ",";
    }
    if (vs.destinations.empty()) {
      line += " (none)";
    }
    lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::vector<std::string> ipvs_table(const ServiceState& state) {
  return ipvs_table(state.virtual_services);
}

std::vector<std::string> texts(const std::vector<IpAddress>& ips) {
  std::vector<std::string> out;
  for (const IpAddress& ip : ips) out.push_back(ip.to_string());
  return out;
}

}  // namespace kr::proxy::testing
