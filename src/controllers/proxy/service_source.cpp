#include "controllers/proxy/service_source.h"

#include "k8s/informer.h"

namespace kr::proxy {
namespace {

template <class T>
std::vector<std::shared_ptr<const T>> all(const k8s::Informer<T>& informer) {
  std::vector<std::shared_ptr<const T>> out;
  const k8s::Snapshot<T> snapshot = informer.snapshot();
  out.reserve(snapshot.size());
  snapshot.for_each([&](const std::shared_ptr<const T>& p) { out.push_back(p); });
  return out;
}

template <class T>
k8s::EventHandlers<T> adapt(ChangeHandler<T> handler) {
  k8s::EventHandlers<T> h;
  h.on_add = [handler](const auto& now) { handler(nullptr, now); };
  h.on_update = [handler](const auto& old, const auto& now) { handler(old, now); };
  h.on_delete = [handler](const auto& old) { handler(old, nullptr); };
  return h;
}

class InformerSource final : public ServiceSource {
 public:
  explicit InformerSource(ProxyInformers informers) : informers_(informers) {}

  ServiceObjects snapshot() const override {
    return {all(informers_.services), all(informers_.endpoint_slices)};
  }

  void subscribe(ServiceHandlers handlers) override {
    informers_.services.add_handlers(adapt(std::move(handlers.service)));
    informers_.endpoint_slices.add_handlers(adapt(std::move(handlers.slice)));
  }

  // Only asked when an endpoint starts draining, so a scan of the pod cache is affordable.
  std::optional<std::chrono::seconds> pod_grace_period(const IpAddress& ip) const override {
    std::optional<std::chrono::seconds> grace;
    const std::string text = ip.to_string();
    informers_.pods.snapshot().for_each([&](const std::shared_ptr<const k8s::Pod>& pod) {
      if (grace || !pod->termination_grace_period_seconds) return;
      for (const std::string& pod_ip : pod->pod_ips) {
        if (pod_ip == text) {
          grace =
              std::chrono::seconds(std::max<int64_t>(0, *pod->termination_grace_period_seconds));
          return;
        }
      }
    });
    return grace;
  }

 private:
  ProxyInformers informers_;
};

template <class T>
std::pair<std::string, std::string> key_of(const std::shared_ptr<const T>& object) {
  return {std::string(object->meta.namespace_.view()), object->meta.name};
}

}  // namespace

std::unique_ptr<ServiceSource> make_informer_source(ProxyInformers informers) {
  return std::make_unique<InformerSource>(informers);
}

ServiceObjects MemoryServiceSource::snapshot() const {
  const std::lock_guard lock(mutex_);
  ServiceObjects out;
  for (const auto& [k, s] : services_) out.services.push_back(s);
  for (const auto& [k, s] : slices_) out.slices.push_back(s);
  return out;
}

void MemoryServiceSource::subscribe(ServiceHandlers handlers) {
  ServiceObjects existing;
  {
    const std::lock_guard lock(mutex_);
    handlers_.push_back(handlers);
  }
  existing = snapshot();
  for (const auto& s : existing.services) handlers.service(nullptr, s);
  for (const auto& s : existing.slices) handlers.slice(nullptr, s);
}

std::optional<std::chrono::seconds> MemoryServiceSource::pod_grace_period(
    const IpAddress& ip) const {
  const std::lock_guard lock(mutex_);
  const auto it = grace_.find(ip);
  return it != grace_.end() ? std::optional(it->second) : std::nullopt;
}

void MemoryServiceSource::put(const std::shared_ptr<const k8s::Service>& service) {
  std::shared_ptr<const k8s::Service> old;
  std::vector<ServiceHandlers> handlers;
  {
    const std::lock_guard lock(mutex_);
    auto& slot = services_[key_of(service)];
    old = std::exchange(slot, service);
    handlers = handlers_;
  }
  for (const auto& h : handlers) h.service(old, service);
}

void MemoryServiceSource::put(const std::shared_ptr<const k8s::EndpointSlice>& slice) {
  std::shared_ptr<const k8s::EndpointSlice> old;
  std::vector<ServiceHandlers> handlers;
  {
    const std::lock_guard lock(mutex_);
    auto& slot = slices_[key_of(slice)];
    old = std::exchange(slot, slice);
    handlers = handlers_;
  }
  for (const auto& h : handlers) h.slice(old, slice);
}

void MemoryServiceSource::remove_service(std::string_view ns, std::string_view name) {
  std::shared_ptr<const k8s::Service> old;
  std::vector<ServiceHandlers> handlers;
  {
    const std::lock_guard lock(mutex_);
    const auto it = services_.find({std::string(ns), std::string(name)});
    if (it == services_.end()) return;
    old = it->second;
    services_.erase(it);
    handlers = handlers_;
  }
  for (const auto& h : handlers) h.service(old, nullptr);
}

void MemoryServiceSource::remove_slice(std::string_view ns, std::string_view name) {
  std::shared_ptr<const k8s::EndpointSlice> old;
  std::vector<ServiceHandlers> handlers;
  {
    const std::lock_guard lock(mutex_);
    const auto it = slices_.find({std::string(ns), std::string(name)});
    if (it == slices_.end()) return;
    old = it->second;
    slices_.erase(it);
    handlers = handlers_;
  }
  for (const auto& h : handlers) h.slice(old, nullptr);
}

void MemoryServiceSource::set_pod_grace_period(const IpAddress& ip, std::chrono::seconds grace) {
  const std::lock_guard lock(mutex_);
  grace_[ip] = grace;
}

}  // namespace kr::proxy
