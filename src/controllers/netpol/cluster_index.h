// The cluster as policy evaluation sees it: only actionable pods (netpol.md §2: not finished,
// not hostNetwork, with an IP), their addresses parsed per family, grouped by namespace, and the
// namespaces' labels, with versions that say what changed since the last pass (build_cache.h).
// Built once per reconcile pass from a ClusterState.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "controllers/netpol/firewall_inputs.h"

namespace kr::netpol {

class BuildCache;

struct PodEntry {
  const k8s::Pod* pod = nullptr;
  std::string_view ns;
  std::string_view name;
  // status.podIPs of each family in canonical text, API order (the first is the pod's address
  // for its chain and as a peer); unparsable entries are left out and reported.
  const std::array<std::vector<std::string>, 2>* ips = nullptr;
  bool local = false;   // runs on this node
  uint64_t serial = 0;  // given to this pod object alone (BuildCache)

  const std::vector<std::string>& ips_of(Family f) const { return (*ips)[static_cast<int>(f)]; }
};

// The pods a selector picks. `version` changes exactly when the pods do (any change to a pod is
// a new object), so whatever is derived from a selection can be kept while it stays.
struct Selection {
  std::vector<const PodEntry*> pods;  // sorted by namespace, then name
  uint64_t version = 0;
};

// Not finished (Failed/Succeeded/Completed), not hostNetwork, and has an IP.
bool pod_is_actionable(const k8s::Pod& pod);

// The pod's containerPort number for (protocol, name), or nullopt when no container exposes it.
std::optional<int> named_port(const k8s::Pod& pod, std::string_view protocol,
                              std::string_view name);

class ClusterIndex {
 public:
  // Keeps views into `state` and `cache`, which must outlive the index; the cache's pass must
  // have begun. Unusable pod addresses are added to `problems`.
  ClusterIndex(const ClusterState& state, BuildCache& cache, std::vector<Problem>& problems);
  ClusterIndex(const ClusterIndex&) = delete;
  ClusterIndex& operator=(const ClusterIndex&) = delete;

  BuildCache& cache() const { return cache_; }

  // Actionable pods, sorted by namespace then name.
  const std::vector<const PodEntry*>& pods() const { return pods_; }
  // Actionable pods of one namespace (sorted); empty for an unknown namespace.
  const std::vector<const PodEntry*>& pods_in(std::string_view ns) const;
  // Every namespace that has a Namespace object or an actionable pod, sorted.
  const std::vector<std::string_view>& namespaces() const { return namespace_names_; }
  // The namespace's labels. A namespace whose object is not cached yet is given the label the
  // API server sets on every namespace (kubernetes.io/metadata.name), so selectors on it work.
  const k8s::StringMap& namespace_labels(std::string_view ns) const;

  // Versions (build_cache.h) of: the pods of one namespace; the list of namespaces with their
  // labels; every pod.
  uint64_t pods_version(std::string_view ns) const;
  uint64_t namespaces_version() const { return namespaces_version_; }
  uint64_t all_pods_version() const { return all_pods_version_; }

 private:
  BuildCache& cache_;
  std::vector<const PodEntry*> pods_;
  std::unordered_map<std::string_view, std::vector<const PodEntry*>> by_namespace_;
  std::unordered_map<std::string_view, uint64_t> pods_versions_;
  std::unordered_map<std::string_view, k8s::StringMap> namespace_labels_;
  std::vector<std::string_view> namespace_names_;
  uint64_t namespaces_version_ = 0;
  uint64_t all_pods_version_ = 0;
};

}  // namespace kr::netpol
