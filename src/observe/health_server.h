// The /healthz endpoint (upstream HealthController.RunServer / Handler).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "observe/health_controller.h"
#include "observe/http_router.h"
#include "observe/listen_address.h"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace kr::observe {

class HttpServer;

// 200 "OK\n" when healthy, 500 "Unhealthy" (no newline) otherwise, as upstream answers.
HttpResponse healthz_response(bool healthy);

// Serves /healthz from `health` (404 for any other path). The io_context rules of HttpServer
// apply.
class HealthServer {
 public:
  HealthServer(boost::asio::io_context& io, const HealthController& health);
  ~HealthServer();

  // --health-port 0 means no HTTP server: start() then does nothing (health is still evaluated
  // and misses still logged). Errors read "failed to listen on <address> for health controller:
  // <reason>".
  std::optional<std::string> start(const ListenAddress& address);
  // The bound port; 0 when not serving.
  std::uint16_t port() const;
  void stop();

 private:
  std::unique_ptr<HttpServer> server_;
  bool listening_ = false;
};

}  // namespace kr::observe
