// The API client the daemon creates once: transport, metrics, and the reads and writes the
// controllers make outside the informers (GET of the own Node, Lease handling for leader
// election, Service status updates by the load-balancer allocator).
//
// Every call is asynchronous on the shared io_context; `done` runs on its thread. Nothing here
// blocks, and no lock is held across I/O.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "k8s/client_config.h"
#include "k8s/metrics.h"
#include "k8s/objects.h"

namespace boost::asio {
class io_context;
}

namespace kr::k8s {

class RestTransport;

enum class ApiStatus {
  kOk,
  kNotFound,       // 404
  kConflict,       // 409: stale resourceVersion precondition
  kAlreadyExists,  // 409 with reason AlreadyExists (create of an existing name)
  kError,          // anything else: transport failure, 4xx/5xx, undecodable response
};

template <class T>
struct ApiResult {
  ApiStatus status = ApiStatus::kError;
  int http_status = 0;              // 0 when no response was received
  std::string message;              // Status message or transport error, for logs
  std::shared_ptr<const T> object;  // the object the server returned, when kOk

  bool ok() const { return status == ApiStatus::kOk; }
};

template <class T>
using ApiCallback = std::function<void(ApiResult<T>)>;

class Client {
 public:
  // Throws ConfigError if the TLS material in `config` is unusable.
  Client(boost::asio::io_context& io, const ClientConfig& config);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  boost::asio::io_context& io() { return io_; }
  ClientMetrics& metrics() { return metrics_; }
  const std::shared_ptr<RestTransport>& transport() { return transport_; }

  // GET one object (ns "" for cluster-scoped kinds such as Node).
  template <class T>
  void get(std::string ns, std::string name, ApiCallback<T> done);

  // POST a new Lease (lease.meta namespace/name; holder, durations, times, transitions).
  void create_lease(const Lease& lease, ApiCallback<Lease> done);
  // PUT a Lease with lease.meta.resource_version as precondition: a stale version gives
  // kConflict and nothing is written.
  void update_lease(const Lease& lease, ApiCallback<Lease> done);

  // Merge patch (RFC 7386) of status.loadBalancer.ingress on the /status subresource. With a
  // non-empty resource_version the patch only applies to that version (else kConflict).
  void patch_service_status(std::string ns, std::string name,
                            std::vector<LoadBalancerIngress> ingress, std::string resource_version,
                            ApiCallback<Service> done);

  // Closes every connection; later calls fail. Thread-safe.
  void shutdown();

 private:
  boost::asio::io_context& io_;
  ClientMetrics metrics_;
  std::shared_ptr<RestTransport> transport_;
};

extern template void Client::get<Node>(std::string, std::string, ApiCallback<Node>);
extern template void Client::get<Pod>(std::string, std::string, ApiCallback<Pod>);
extern template void Client::get<Service>(std::string, std::string, ApiCallback<Service>);
extern template void Client::get<Namespace>(std::string, std::string, ApiCallback<Namespace>);
extern template void Client::get<EndpointSlice>(std::string, std::string,
                                                ApiCallback<EndpointSlice>);
extern template void Client::get<NetworkPolicy>(std::string, std::string,
                                                ApiCallback<NetworkPolicy>);
extern template void Client::get<Lease>(std::string, std::string, ApiCallback<Lease>);

}  // namespace kr::k8s
