#include "observe/health_server.h"

#include <fmt/format.h>

#include "base/log.h"
#include "observe/http_server.h"

namespace kr::observe {

HttpResponse healthz_response(bool healthy) {
  if (healthy) {
    return {.status = 200, .body = "OK\n"};
  }
  return {.status = 500, .body = "Unhealthy"};
}

namespace {

HttpRouter health_router(const HealthController& health) {
  HttpRouter router;
  router.add("/healthz",
             [&health](const HttpRequest&) { return healthz_response(health.healthy()); });
  return router;
}

}  // namespace

HealthServer::HealthServer(boost::asio::io_context& io, const HealthController& health)
    : server_(std::make_unique<HttpServer>(io, "health", health_router(health))) {}

HealthServer::~HealthServer() = default;

std::optional<std::string> HealthServer::start(const ListenAddress& address) {
  if (address.port == 0) {
    KR_INFO("Health port is 0: not serving /healthz");
    return std::nullopt;
  }
  if (auto error = server_->listen(address)) {
    return fmt::format("failed to listen on {} for {}: {}", to_string(address),
                       kHealthListenPurpose, *error);
  }
  listening_ = true;
  return std::nullopt;
}

std::uint16_t HealthServer::port() const { return listening_ ? server_->port() : 0; }

void HealthServer::stop() { server_->stop(); }

}  // namespace kr::observe
