#include "fixtures.h"

namespace kr::netpol::testing {

k8s::StringMap labels(Labels l) {
  k8s::StringMap m;
  for (const auto& [k, v] : l) {
    m.set(k, v);
  }
  return m;
}

std::shared_ptr<const k8s::Pod> make_pod(const PodSpec& spec) {
  auto pod = std::make_shared<k8s::Pod>();
  pod->meta.namespace_ = k8s::Interned(spec.ns);
  pod->meta.name = spec.name;
  pod->meta.labels = labels(spec.labels);
  pod->node_name = k8s::Interned(spec.node);
  pod->host_network = spec.host_network;
  pod->container_ports = spec.ports;
  pod->phase = k8s::Interned(spec.phase);
  pod->pod_ips = spec.ips;
  return pod;
}

std::shared_ptr<const k8s::Namespace> make_namespace(std::string name, Labels l) {
  auto ns = std::make_shared<k8s::Namespace>();
  ns->meta.name = std::move(name);
  ns->meta.labels = labels(l);
  ns->meta.labels.set("kubernetes.io/metadata.name", ns->meta.name);
  return ns;
}

k8s::ContainerPort container_port(std::string name, int number, std::string protocol) {
  return k8s::ContainerPort{k8s::Interned(name), number, k8s::Interned(protocol)};
}

k8s::LabelSelector match_labels(Labels l) { return k8s::LabelSelector{labels(l), {}}; }

k8s::LabelSelector match_expression(std::string key, std::string op,
                                    std::vector<std::string> values) {
  k8s::LabelSelectorRequirement r{k8s::Interned(key), k8s::Interned(op), {}};
  for (const std::string& v : values) {
    r.values.emplace_back(v);
  }
  return k8s::LabelSelector{{}, {r}};
}

k8s::NetworkPolicyPeer pods_peer(k8s::LabelSelector pods) {
  return k8s::NetworkPolicyPeer{std::move(pods), std::nullopt, std::nullopt};
}

k8s::NetworkPolicyPeer namespaces_peer(k8s::LabelSelector namespaces,
                                       std::optional<k8s::LabelSelector> pods) {
  return k8s::NetworkPolicyPeer{std::move(pods), std::move(namespaces), std::nullopt};
}

k8s::NetworkPolicyPeer block_peer(std::string cidr, std::vector<std::string> except) {
  return k8s::NetworkPolicyPeer{std::nullopt, std::nullopt,
                                k8s::IpBlock{std::move(cidr), std::move(except)}};
}

k8s::NetworkPolicyPort port(int number, std::string protocol, std::optional<int> end_port) {
  return k8s::NetworkPolicyPort{k8s::Interned(protocol), k8s::IntOrString{number, ""}, end_port};
}

k8s::NetworkPolicyPort named(std::string name, std::string protocol) {
  return k8s::NetworkPolicyPort{k8s::Interned(protocol), k8s::IntOrString{0, std::move(name)},
                                std::nullopt};
}

k8s::NetworkPolicyPort protocol_only(std::string protocol) {
  return k8s::NetworkPolicyPort{k8s::Interned(protocol), std::nullopt, std::nullopt};
}

k8s::NetworkPolicyRule rule(std::vector<k8s::NetworkPolicyPeer> peers,
                            std::vector<k8s::NetworkPolicyPort> ports) {
  return k8s::NetworkPolicyRule{std::move(ports), std::move(peers)};
}

std::shared_ptr<const k8s::NetworkPolicy> make_policy(const PolicySpec& spec) {
  auto p = std::make_shared<k8s::NetworkPolicy>();
  p->meta.namespace_ = k8s::Interned(spec.ns);
  p->meta.name = spec.name;
  p->pod_selector = spec.pod_selector;
  for (const std::string& t : spec.types) {
    p->policy_types.emplace_back(t);
  }
  p->ingress = spec.ingress;
  p->egress = spec.egress;
  return p;
}

NodeFacts test_node() {
  return NodeFacts{"node-1", {"192.168.1.10", "fd00:1::10"}, {"10.244.1.0/24", "fd00:244:1::/64"}};
}

}  // namespace kr::netpol::testing
