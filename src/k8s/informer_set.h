// The informers of the six kinds every kube-router process watches (flags.md §3.2 step 5),
// started together; the daemon waits for all of them to sync before starting controllers.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "k8s/informer.h"
#include "k8s/objects.h"
#include "k8s/reflector_options.h"

namespace kr::k8s {

class Client;
class Reflector;

class InformerSet {
 public:
  // Handlers registered on the informers run on the client's io_context until stop(); the
  // set must outlive that.
  explicit InformerSet(Client& client, ReflectorOptions options = {});
  ~InformerSet();  // stops the reflectors
  InformerSet(const InformerSet&) = delete;
  InformerSet& operator=(const InformerSet&) = delete;

  Informer<Pod>& pods() { return *pods_; }
  Informer<Service>& services() { return *services_; }
  // Indexed by "<namespace>/<kubernetes.io/service-name>" (resources.h service_name_index).
  Informer<EndpointSlice>& endpoint_slices() { return *endpoint_slices_; }
  Informer<Node>& nodes() { return *nodes_; }
  Informer<Namespace>& namespaces() { return *namespaces_; }
  Informer<NetworkPolicy>& network_policies() { return *network_policies_; }

  // Starts every LIST/WATCH loop (thread-safe; the work runs on the io_context).
  void start();
  void stop();

  bool has_synced() const;
  // Blocks the calling thread, which must not be the io_context's, until every informer has
  // synced. After `timeout` (or at once if it is not positive) returns upstream's error text
  // "failed to synchronize cache: <timeout> timeout".
  std::optional<std::string> wait_for_sync(std::chrono::nanoseconds timeout);

 private:
  template <class T>
  void add_reflector(const std::shared_ptr<Informer<T>>& informer, KindMetrics& metrics);

  struct SyncState {
    std::mutex mutex;
    std::condition_variable cv;  // notified whenever an informer syncs
  };

  Client& client_;
  ReflectorOptions options_;
  std::shared_ptr<Informer<Pod>> pods_;
  std::shared_ptr<Informer<Service>> services_;
  std::shared_ptr<Informer<EndpointSlice>> endpoint_slices_;
  std::shared_ptr<Informer<Node>> nodes_;
  std::shared_ptr<Informer<Namespace>> namespaces_;
  std::shared_ptr<Informer<NetworkPolicy>> network_policies_;
  std::vector<std::shared_ptr<Reflector>> reflectors_;
  std::shared_ptr<SyncState> sync_state_ = std::make_shared<SyncState>();
};

}  // namespace kr::k8s
