#include "k8s/informer_set.h"

#include "go/duration.h"
#include "k8s/client.h"
#include "k8s/reflector.h"
#include "k8s/resources.h"

namespace kr::k8s {

template <class T>
void InformerSet::add_reflector(const std::shared_ptr<Informer<T>>& informer,
                                KindMetrics& metrics) {
  // The state outlives this set if a LIST completes while the set is being destroyed.
  informer->set_on_synced([state = sync_state_] {
    std::lock_guard lock(state->mutex);
    state->cv.notify_all();
  });
  reflectors_.push_back(std::make_shared<Reflector>(
      client_.io(), client_.transport(), collection_path<T>(), informer, metrics, options_));
}

InformerSet::InformerSet(Client& client, ReflectorOptions options)
    : client_(client),
      options_(options),
      pods_(std::make_shared<Informer<Pod>>(client.io(), client.metrics().pods)),
      services_(std::make_shared<Informer<Service>>(client.io(), client.metrics().services)),
      endpoint_slices_(std::make_shared<Informer<EndpointSlice>>(
          client.io(), client.metrics().endpoint_slices, &service_name_index)),
      nodes_(std::make_shared<Informer<Node>>(client.io(), client.metrics().nodes)),
      namespaces_(std::make_shared<Informer<Namespace>>(client.io(), client.metrics().namespaces)),
      network_policies_(std::make_shared<Informer<NetworkPolicy>>(
          client.io(), client.metrics().network_policies)) {
  add_reflector(pods_, client.metrics().pods);
  add_reflector(services_, client.metrics().services);
  add_reflector(endpoint_slices_, client.metrics().endpoint_slices);
  add_reflector(nodes_, client.metrics().nodes);
  add_reflector(namespaces_, client.metrics().namespaces);
  add_reflector(network_policies_, client.metrics().network_policies);
}

InformerSet::~InformerSet() { stop(); }

void InformerSet::start() {
  for (const auto& r : reflectors_) {
    r->start();
  }
}

void InformerSet::stop() {
  for (const auto& r : reflectors_) {
    r->stop();
  }
}

bool InformerSet::has_synced() const {
  return pods_->has_synced() && services_->has_synced() && endpoint_slices_->has_synced() &&
         nodes_->has_synced() && namespaces_->has_synced() && network_policies_->has_synced();
}

std::optional<std::string> InformerSet::wait_for_sync(std::chrono::nanoseconds timeout) {
  std::unique_lock lock(sync_state_->mutex);
  if (timeout > std::chrono::nanoseconds::zero() &&
      sync_state_->cv.wait_for(lock, timeout, [this] { return has_synced(); })) {
    return std::nullopt;
  }
  return "failed to synchronize cache: " + go::format_duration(timeout) + " timeout";
}

}  // namespace kr::k8s
