#include "controllers/netpol/cluster_index.h"

#include <algorithm>

#include "controllers/netpol/build_cache.h"

namespace kr::netpol {
namespace {

constexpr std::string_view kNamespaceNameLabel = "kubernetes.io/metadata.name";

bool is_local(const k8s::Pod& pod, const NodeFacts& node) {
  if (!node.name.empty() && pod.node_name == node.name) {
    return true;
  }
  // Upstream's test (netpol.md §7.3): the pod's hostIP is one of the node's addresses.
  return !pod.host_ip.empty() && std::find(node.addresses.begin(), node.addresses.end(),
                                           pod.host_ip.view()) != node.addresses.end();
}

}  // namespace

bool pod_is_actionable(const k8s::Pod& pod) {
  const std::string_view phase = pod.phase.view();
  return phase != "Failed" && phase != "Succeeded" && phase != "Completed" && !pod.host_network &&
         !pod.pod_ips.empty() && !pod.pod_ips.front().empty();
}

std::optional<int> named_port(const k8s::Pod& pod, std::string_view protocol,
                              std::string_view name) {
  for (const k8s::ContainerPort& p : pod.container_ports) {
    const std::string_view proto = p.protocol.empty() ? "TCP" : p.protocol.view();
    if (p.name == name && proto == protocol && p.container_port > 0 && p.container_port <= 65535) {
      return p.container_port;
    }
  }
  return std::nullopt;
}

ClusterIndex::ClusterIndex(const ClusterState& state, const NodeFacts& node, BuildCache& cache,
                           std::vector<Problem>& problems) {
  pods_.reserve(state.pods.size());
  for (const auto& pod : state.pods) {
    if (!pod_is_actionable(*pod)) {
      continue;
    }
    const PodCompilation& compiled = cache.pod(pod);
    problems.insert(problems.end(), compiled.problems.begin(), compiled.problems.end());
    if (compiled.ips[0].empty() && compiled.ips[1].empty()) {
      continue;
    }
    pods_.push_back(PodEntry{.pod = pod.get(),
                             .ns = pod->meta.namespace_.view(),
                             .name = pod->meta.name,
                             .ips = &compiled.ips,
                             .local = is_local(*pod, node)});
  }
  std::sort(pods_.begin(), pods_.end(), [](const PodEntry& a, const PodEntry& b) {
    return a.ns != b.ns ? a.ns < b.ns : a.name < b.name;
  });
  for (const PodEntry& p : pods_) {
    by_namespace_[p.ns].push_back(&p);
  }
  for (const auto& ns : state.namespaces) {
    namespace_labels_[ns->meta.name] = ns->meta.labels;
  }
  for (const auto& [name, pods] : by_namespace_) {
    if (!namespace_labels_.contains(name)) {
      k8s::StringMap labels;
      labels.set(kNamespaceNameLabel, name);
      namespace_labels_[name] = std::move(labels);
    }
  }
  for (const auto& [name, labels] : namespace_labels_) {
    namespace_names_.push_back(name);
  }
  std::sort(namespace_names_.begin(), namespace_names_.end());
}

const std::vector<const PodEntry*>& ClusterIndex::pods_in(std::string_view ns) const {
  static const std::vector<const PodEntry*> kNone;
  const auto it = by_namespace_.find(ns);
  return it == by_namespace_.end() ? kNone : it->second;
}

const k8s::StringMap& ClusterIndex::namespace_labels(std::string_view ns) const {
  static const k8s::StringMap kNone;
  const auto it = namespace_labels_.find(ns);
  return it == namespace_labels_.end() ? kNone : it->second;
}

const std::vector<const PodEntry*>* ClusterIndex::find_selection(
    const std::string& definition) const {
  const auto it = selections_.find(definition);
  return it == selections_.end() ? nullptr : &it->second;
}

const std::vector<const PodEntry*>& ClusterIndex::store_selection(
    std::string definition, std::vector<const PodEntry*> pods) const {
  return selections_.insert_or_assign(std::move(definition), std::move(pods)).first->second;
}

}  // namespace kr::netpol
