// The metrics controller (upstream pkg/metrics/metrics_controller.go): serves the registry at
// --metrics-path on --metrics-addr:--metrics-port and heartbeats to the health controller.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "observe/health_controller.h"
#include "observe/http_router.h"
#include "observe/listen_address.h"
#include "observe/registry.h"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace kr::observe {

// Metrics are enabled only for 0 < --metrics-port < 65535 (65535 itself disables them).
constexpr bool metrics_port_enabled(std::uint16_t port) { return port > 0 && port < 65535; }

struct MetricsConfig {
  ListenAddress listen{};         // --metrics-addr, --metrics-port
  std::string path = "/metrics";  // --metrics-path, the only path served
};

// kube_router_controller_ipvs_metrics_export_time, registered by the metrics controller and
// observed by the service proxy on each scrape; either may call this first.
Histogram& ipvs_metrics_export_time(Registry& registry);

// The scrape handler: the registry in text format 0.0.4, instrumented like promhttp's
// InstrumentMetricHandler (promhttp_metric_handler_requests_total{code} counts a scrape after
// it is answered, promhttp_metric_handler_requests_in_flight counts scrapes being answered).
HttpHandler metrics_handler(Registry& registry);

class HttpServer;

// The io_context rules of HttpServer apply; start() and stop() run on its thread.
class MetricsController {
 public:
  MetricsController(boost::asio::io_context& io, Registry& registry, HealthController& health,
                    MetricsConfig config);
  ~MetricsController();

  // Registers the controller's own metrics, serves the metrics path, heartbeats now and every
  // 3 s. Errors name the flag or the address that failed.
  std::optional<std::string> start();
  std::uint16_t port() const;
  void stop();

 private:
  struct Heartbeat;
  boost::asio::io_context& io_;
  Registry& registry_;
  HealthController& health_;
  const MetricsConfig config_;
  std::unique_ptr<HttpServer> server_;
  std::shared_ptr<Heartbeat> heartbeat_;
};

}  // namespace kr::observe
