// Where the proxy gets Services, EndpointSlices and pod grace periods, and their change
// notifications: the shared informers in the daemon; an in-memory source in tests and the
// benchmark, which have no API server.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "controllers/proxy/cidr.h"
#include "k8s/objects.h"

namespace kr::k8s {
template <class T>
class Informer;
}

namespace kr::proxy {

template <class T>
using ChangeHandler =
    std::function<void(const std::shared_ptr<const T>& old, const std::shared_ptr<const T>& now)>;

// (nullptr, obj) for an add, (old, now) for an update, (obj, nullptr) for a delete. They run on
// the source's thread and must only take note of the change.
struct ServiceHandlers {
  ChangeHandler<k8s::Service> service;
  ChangeHandler<k8s::EndpointSlice> slice;
};

struct ServiceObjects {
  std::vector<std::shared_ptr<const k8s::Service>> services;
  std::vector<std::shared_ptr<const k8s::EndpointSlice>> slices;
};

class ServiceSource {
 public:
  virtual ~ServiceSource() = default;
  virtual ServiceObjects snapshot() const = 0;
  // Registers the handlers; objects already present are reported as adds.
  virtual void subscribe(ServiceHandlers handlers) = 0;
  // spec.terminationGracePeriodSeconds of the pod that has this IP, if one is cached (§9).
  virtual std::optional<std::chrono::seconds> pod_grace_period(const IpAddress& ip) const = 0;
};

struct ProxyInformers {
  k8s::Informer<k8s::Service>& services;
  k8s::Informer<k8s::EndpointSlice>& endpoint_slices;
  k8s::Informer<k8s::Pod>& pods;
};

std::unique_ptr<ServiceSource> make_informer_source(ProxyInformers informers);

// Objects in memory, changed by direct calls that run the handlers on the calling thread.
class MemoryServiceSource final : public ServiceSource {
 public:
  ServiceObjects snapshot() const override;
  void subscribe(ServiceHandlers handlers) override;
  std::optional<std::chrono::seconds> pod_grace_period(const IpAddress& ip) const override;

  void put(const std::shared_ptr<const k8s::Service>& service);
  void put(const std::shared_ptr<const k8s::EndpointSlice>& slice);
  void remove_service(std::string_view ns, std::string_view name);
  void remove_slice(std::string_view ns, std::string_view name);
  void set_pod_grace_period(const IpAddress& ip, std::chrono::seconds grace);

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<const k8s::Service>> services_;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<const k8s::EndpointSlice>> slices_;
  std::map<IpAddress, std::chrono::seconds> grace_;
  std::vector<ServiceHandlers> handlers_;
};

}  // namespace kr::proxy
