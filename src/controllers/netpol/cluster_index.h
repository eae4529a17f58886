// The cluster as policy evaluation sees it: only actionable pods (netpol.md §2: not finished,
// not hostNetwork, with an IP), their addresses parsed per family, grouped by namespace, and the
// namespaces' labels. Built once per reconcile pass from a ClusterState.
#pragma once

#include <array>
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
  bool local = false;  // runs on this node

  const std::vector<std::string>& ips_of(Family f) const { return (*ips)[static_cast<int>(f)]; }
};

// Not finished (Failed/Succeeded/Completed), not hostNetwork, and has an IP.
bool pod_is_actionable(const k8s::Pod& pod);

// The pod's containerPort number for (protocol, name), or nullopt when no container exposes it.
std::optional<int> named_port(const k8s::Pod& pod, std::string_view protocol,
                              std::string_view name);

class ClusterIndex {
 public:
  // Keeps views into `state` and `cache`, which must outlive the index. Unusable pod addresses
  // are added to `problems`.
  ClusterIndex(const ClusterState& state, const NodeFacts& node, BuildCache& cache,
               std::vector<Problem>& problems);
  ClusterIndex(const ClusterIndex&) = delete;
  ClusterIndex& operator=(const ClusterIndex&) = delete;

  // Actionable pods, sorted by namespace then name.
  const std::vector<PodEntry>& pods() const { return pods_; }
  // Actionable pods of one namespace (sorted); empty for an unknown namespace.
  const std::vector<const PodEntry*>& pods_in(std::string_view ns) const;
  // Every namespace that has a Namespace object or an actionable pod, sorted.
  const std::vector<std::string_view>& namespaces() const { return namespace_names_; }
  // The namespace's labels. A namespace whose object is not cached yet is given the label the
  // API server sets on every namespace (kubernetes.io/metadata.name), so selectors on it work.
  const k8s::StringMap& namespace_labels(std::string_view ns) const;

  // The pods a peer selects, memoized for this pass by the peer's canonical definition: many
  // policies name the same peers, and each selection scans pods.
  const std::vector<const PodEntry*>* find_selection(const std::string& definition) const;
  const std::vector<const PodEntry*>& store_selection(std::string definition,
                                                      std::vector<const PodEntry*> pods) const;

 private:
  std::vector<PodEntry> pods_;
  std::unordered_map<std::string_view, std::vector<const PodEntry*>> by_namespace_;
  std::unordered_map<std::string_view, k8s::StringMap> namespace_labels_;
  std::vector<std::string_view> namespace_names_;
  mutable std::unordered_map<std::string, std::vector<const PodEntry*>> selections_;
};

}  // namespace kr::netpol
