// The NodePort health-check servers (proxy.md §11): for every Service with
// spec.healthCheckNodePort (LoadBalancer with externalTrafficPolicy Local), an HTTP server on
// that port whose /healthz tells the cloud load balancer whether this node has a local endpoint
// to send the Service's traffic to: 200 "<n> Service Endpoints found" or 503.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "observe/http_router.h"

namespace boost::asio {
class io_context;
}

namespace kr::proxy {

class HealthCheckServers {
 public:
  // Servers run on `io` (the daemon's event loop, run by one thread); `host` is where they
  // listen: "" for every address as upstream does, "127.0.0.1" in tests.
  explicit HealthCheckServers(boost::asio::io_context& io, std::string host = "");
  ~HealthCheckServers();  // stops every server
  HealthCheckServers(const HealthCheckServers&) = delete;
  HealthCheckServers& operator=(const HealthCheckServers&) = delete;

  // port -> number of local, not terminating endpoints. Starts servers for new ports, stops the
  // ones no longer listed, and updates the answers. Callable from any thread but the io one;
  // returns once the servers have been started or stopped.
  void update(const std::map<std::uint16_t, std::uint32_t>& ports);
  void stop_all() { update({}); }

  // The answer for a port (what /healthz serves); exposed for tests.
  static observe::HttpResponse answer(std::uint32_t local_endpoints);

 private:
  struct Shared;
  std::shared_ptr<Shared> shared_;
};

}  // namespace kr::proxy
