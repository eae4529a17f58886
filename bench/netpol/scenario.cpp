#include "scenario.h"

#include <fmt/format.h>

namespace kr::netpol::bench {
namespace {

k8s::LabelSelector labels_selector(std::initializer_list<std::pair<std::string, std::string>> l) {
  k8s::LabelSelector s;
  for (const auto& [k, v] : l) s.match_labels.set(k, v);
  return s;
}

k8s::NetworkPolicyPort tcp(int port, std::optional<int> end = std::nullopt) {
  return {k8s::Interned("TCP"), k8s::IntOrString{port, ""}, end};
}

k8s::NetworkPolicyPort named(const std::string& name) {
  return {k8s::Interned("TCP"), k8s::IntOrString{0, name}, std::nullopt};
}

std::shared_ptr<k8s::Pod> make_pod(int ns, int i, bool local) {
  auto pod = std::make_shared<k8s::Pod>();
  pod->meta.namespace_ = k8s::Interned(fmt::format("ns-{}", ns));
  pod->meta.name = fmt::format("pod-{}-{}", ns, i);
  pod->meta.labels.set("app", fmt::format("app-{}", i % 10));
  pod->meta.labels.set("tier", i % 3 == 0 ? "web" : i % 3 == 1 ? "api" : "db");
  pod->node_name = k8s::Interned(local ? "node-1" : fmt::format("node-{}", 2 + i % 9));
  pod->phase = k8s::Interned("Running");
  const int n = ns * 64 + i;
  pod->pod_ips = {fmt::format("10.64.{}.{}", n / 256, n % 256),
                  fmt::format("fd00:10::{:x}", n + 1)};
  pod->container_ports = {{k8s::Interned("http"), 8080 + i % 2, k8s::Interned("TCP")},
                          {k8s::Interned("metrics"), 9090, k8s::Interned("TCP")}};
  return pod;
}

std::shared_ptr<k8s::NetworkPolicy> make_policy(int ns_count, int index) {
  auto p = std::make_shared<k8s::NetworkPolicy>();
  const int ns = index % ns_count;
  p->meta.namespace_ = k8s::Interned(fmt::format("ns-{}", ns));
  p->meta.name = fmt::format("policy-{}", index);
  p->pod_selector = labels_selector({{"app", fmt::format("app-{}", index % 10)}});
  const auto peer_pods = [&](std::string app) {
    return k8s::NetworkPolicyPeer{labels_selector({{"app", app}}), std::nullopt, std::nullopt};
  };
  switch (index % 5) {
    case 0:  // ingress from pods of the namespace on two ports
      p->policy_types = {k8s::Interned("Ingress")};
      p->ingress = {{{tcp(80), tcp(443)}, {peer_pods(fmt::format("app-{}", (index + 1) % 10))}}};
      break;
    case 1:  // ingress from labelled namespaces, named port
      p->policy_types = {k8s::Interned("Ingress")};
      p->ingress = {{{named("http")},
                     {{std::nullopt,
                       labels_selector({{"kubernetes.io/metadata.name",
                                         fmt::format("ns-{}", (ns + 1) % ns_count)}}),
                       std::nullopt}}}};
      break;
    case 2:  // ingress from an ipBlock with excepts, port range
      p->policy_types = {k8s::Interned("Ingress")};
      p->ingress = {
          {{tcp(30000, 30100)},
           {{std::nullopt, std::nullopt,
             k8s::IpBlock{"10.0.0.0/8",
                          {fmt::format("10.{}.0.0/16", 64 + index % 4), "10.255.0.0/16"}}}}}};
      break;
    case 3:  // egress to namespace+pod selector and DNS
      p->policy_types = {k8s::Interned("Egress")};
      p->egress = {
          {{tcp(5432)}, {{labels_selector({{"tier", "db"}}), labels_selector({}), std::nullopt}}},
          {{{k8s::Interned("UDP"), k8s::IntOrString{53, ""}, std::nullopt}}, {}}};
      break;
    default:  // both directions
      p->policy_types = {k8s::Interned("Ingress"), k8s::Interned("Egress")};
      p->ingress = {{{}, {peer_pods("app-0"), peer_pods("app-5")}}};
      p->egress = {{{named("metrics")}, {}}};
      break;
  }
  return p;
}

}  // namespace

ClusterState make_scenario(const ScenarioSize& size) {
  ClusterState state;
  for (int ns = 0; ns < size.namespaces; ++ns) {
    auto n = std::make_shared<k8s::Namespace>();
    n->meta.name = fmt::format("ns-{}", ns);
    n->meta.labels.set("kubernetes.io/metadata.name", n->meta.name);
    n->meta.labels.set("team", fmt::format("team-{}", ns % 4));
    state.namespaces.push_back(n);
  }
  const int per_ns = size.pods / size.namespaces;
  const int local_per_ns = size.local_pods / size.namespaces;
  for (int ns = 0; ns < size.namespaces; ++ns) {
    for (int i = 0; i < per_ns; ++i) {
      state.pods.push_back(make_pod(ns, i, i < local_per_ns));
    }
  }
  for (int i = 0; i < size.policies; ++i) {
    state.policies.push_back(make_policy(size.namespaces, i));
  }
  return state;
}

NodeFacts bench_node() { return NodeFacts{"node-1", {"192.168.1.10"}, {"10.64.0.0/16"}}; }

std::shared_ptr<const k8s::Pod> extra_local_pod(int index) {
  auto pod = make_pod(index % 20, 100 + index, true);
  pod->pod_ips = {fmt::format("10.99.{}.{}", index / 256, index % 256),
                  fmt::format("fd00:99::{:x}", index + 1)};
  return pod;
}

std::shared_ptr<const k8s::NetworkPolicy> changed_policy(const ClusterState& state, int index,
                                                         int shift) {
  auto p = std::make_shared<k8s::NetworkPolicy>(*state.policies.at(index));
  for (auto* rules : {&p->ingress, &p->egress}) {
    for (auto& r : *rules) {
      for (auto& port : r.ports) {
        if (port.port && !port.port->is_name()) {
          port.port->number += shift;
          if (port.end_port) *port.end_port += shift;
          return p;
        }
      }
    }
  }
  return p;
}

}  // namespace kr::netpol::bench
