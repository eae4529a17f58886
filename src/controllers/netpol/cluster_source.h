// Where the firewall gets its cluster objects and change notifications: the informers in the
// daemon; an in-memory source in tests, benchmarks and tools that have no API server.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "controllers/netpol/firewall_inputs.h"

namespace kr::k8s {
template <class T>
class Informer;
}  // namespace kr::k8s

namespace kr::netpol {

template <class T>
using ChangeHandler =
    std::function<void(const std::shared_ptr<const T>& old, const std::shared_ptr<const T>& now)>;

// Handlers receive (nullptr, obj) for an add, (old, now) for an update, (obj, nullptr) for a
// delete. They run on the source's thread and must only take note of the change.
struct ChangeHandlers {
  ChangeHandler<k8s::Pod> pod;
  ChangeHandler<k8s::Namespace> ns;
  ChangeHandler<k8s::NetworkPolicy> policy;
};

class ClusterSource {
 public:
  virtual ~ClusterSource() = default;
  // The current objects (cheap: shared immutable objects). Callable from any thread.
  virtual ClusterState snapshot() const = 0;
  // Registers the handlers; objects already present are reported as adds.
  virtual void subscribe(ChangeHandlers handlers) = 0;
};

// The three shared informers the firewall reads (k8s::InformerSet's pods(), namespaces() and
// network_policies()).
struct FirewallInformers {
  k8s::Informer<k8s::Pod>& pods;
  k8s::Informer<k8s::Namespace>& namespaces;
  k8s::Informer<k8s::NetworkPolicy>& policies;
};

// The daemon's source: the shared informers.
std::unique_ptr<ClusterSource> make_informer_source(FirewallInformers informers);

// Objects held in memory and changed by direct calls (which run the handlers on the calling
// thread). Thread-safe.
class MemoryClusterSource final : public ClusterSource {
 public:
  ClusterState snapshot() const override;
  void subscribe(ChangeHandlers handlers) override;

  // Adds or replaces (by namespace/name).
  void put(std::shared_ptr<const k8s::Pod> pod);
  void put(std::shared_ptr<const k8s::Namespace> ns);
  void put(std::shared_ptr<const k8s::NetworkPolicy> policy);
  void remove_pod(std::string_view ns, std::string_view name);
  void remove_namespace(std::string_view name);
  void remove_policy(std::string_view ns, std::string_view name);

 private:
  template <class T>
  void notify(ChangeHandler<T> ChangeHandlers::*field, const std::shared_ptr<const T>& old,
              const std::shared_ptr<const T>& now);

  mutable std::mutex mutex_;
  ClusterState state_;
  std::vector<ChangeHandlers> handlers_;
};

}  // namespace kr::netpol
