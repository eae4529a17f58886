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

// --health-port 0 means no /healthz server; health is still evaluated and misses still logged.
constexpr bool health_port_enabled(std::uint16_t port) { return port > 0; }

// 200 "OK\n" when healthy, 500 "Unhealthy" (no newline) otherwise, as upstream answers.
HttpResponse healthz_response(bool healthy);

// Serves /healthz from `health` (404 for any other path). The io_context rules of HttpServer
// apply. Port 0 in start() picks a free port (for tests); main skips the server when
// health_port_enabled() is false.
class HealthServer {
 public:
  HealthServer(boost::asio::io_context& io, const HealthController& health);
  ~HealthServer();

  // Errors read "failed to listen on <address> for health controller: <reason>".
  std::optional<std::string> start(const ListenAddress& address);
  std::uint16_t port() const;
  void stop();

 private:
  std::unique_ptr<HttpServer> server_;
};

}  // namespace kr::observe
