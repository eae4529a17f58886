#include "controllers/netpol/cluster_index.h"

#include <fmt/format.h>

#include <algorithm>

#include "controllers/netpol/build_cache.h"

namespace kr::netpol {
namespace {

constexpr std::string_view kNamespaceNameLabel = "kubernetes.io/metadata.name";

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

ClusterIndex::ClusterIndex(const ClusterState& state, BuildCache& cache,
                           std::vector<Problem>& problems)
    : cache_(cache) {
  pods_.reserve(state.pods.size());
  for (const auto& pod : state.pods) {
    if (!pod_is_actionable(*pod)) {
      continue;
    }
    if (const PodEntry* entry = cache.pod(pod, problems)) {
      pods_.push_back(entry);
    }
  }
  std::sort(pods_.begin(), pods_.end(), [](const PodEntry* a, const PodEntry* b) {
    return a->ns != b->ns ? a->ns < b->ns : a->name < b->name;
  });
  std::string all_serials;
  all_serials.reserve(pods_.size() * sizeof(uint64_t));
  for (const PodEntry* p : pods_) {
    by_namespace_[p->ns].push_back(p);
    append_version(all_serials, p->serial);
  }
  all_pods_version_ = cache.version("pods", all_serials);
  for (const auto& [ns, pods] : by_namespace_) {
    std::string serials;
    serials.reserve(pods.size() * sizeof(uint64_t));
    for (const PodEntry* p : pods) append_version(serials, p->serial);
    pods_versions_[ns] = cache.version(fmt::format("pods in {}", ns), serials);
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
  std::string labels_text;
  for (const std::string_view ns : namespace_names_) {
    const k8s::StringMap& labels = namespace_labels_.at(ns);
    append_text(labels_text, ns);
    append_version(labels_text, labels.size());
    for (const auto& [key, value] : labels) {
      append_text(labels_text, key.view());
      append_text(labels_text, value.view());
    }
  }
  namespaces_version_ = cache.version("namespaces", labels_text);
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

uint64_t ClusterIndex::pods_version(std::string_view ns) const {
  // A namespace without pods has one version for that (0): nothing derived from it can change.
  const auto it = pods_versions_.find(ns);
  return it == pods_versions_.end() ? 0 : it->second;
}

}  // namespace kr::netpol
