#include "observe/metrics_controller.h"

#include <fmt/format.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <exception>

#include "base/log.h"
#include "observe/exposition.h"
#include "observe/http_server.h"

namespace kr::observe {
namespace {

// Upstream metricsControllerTickTime; the health deadline for this controller is 5 s.
constexpr auto kHeartbeatInterval = std::chrono::seconds(3);

}  // namespace

Histogram& ipvs_metrics_export_time(Registry& registry) {
  return registry.histogram("kube_router_controller_ipvs_metrics_export_time",
                            "Time it took to export metrics");
}

HttpHandler metrics_handler(Registry& registry) {
  auto& requests =
      registry.counter_family("promhttp_metric_handler_requests_total",
                              "Total number of scrapes by HTTP status code.", {"code"});
  // promhttp exposes these codes from the start, at 0.
  auto ok = requests.with_labels({"200"});
  auto failed = requests.with_labels({"500"});
  requests.with_labels({"503"});
  auto& in_flight = registry.gauge("promhttp_metric_handler_requests_in_flight",
                                   "Current number of scrapes being served.");
  return [&registry, &in_flight, ok, failed](const HttpRequest&) {
    in_flight.inc();
    HttpResponse response;
    try {
      response = {.status = 200,
                  .content_type = std::string(kTextFormatContentType),
                  .body = render_text_format(registry.collect())};
    } catch (const std::exception& e) {
      KR_ERROR("error serving metrics: {}", e.what());
      response = {
          .status = 500,
          .body = fmt::format("An error has occurred while serving metrics:\n\n{}", e.what())};
    }
    in_flight.dec();
    (response.status == 200 ? ok : failed)->inc();
    return response;
  };
}

// Sends the metrics controller's heartbeat now and every 3 s. Held weakly by the timer handler,
// so destroying the controller stops the loop.
struct MetricsController::Heartbeat : std::enable_shared_from_this<Heartbeat> {
  Heartbeat(boost::asio::io_context& io, HealthController& health_controller)
      : timer(io), health(health_controller) {}

  void beat() {
    health.heartbeat(Component::kMetrics);
    timer.expires_after(kHeartbeatInterval);
    timer.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
      auto self = weak.lock();
      if (ec || !self) {
        return;
      }
      KR_V(4, "Metrics controller tick");
      self->beat();
    });
  }

  boost::asio::steady_timer timer;
  HealthController& health;
};

MetricsController::MetricsController(boost::asio::io_context& io, Registry& registry,
                                     HealthController& health, MetricsConfig config)
    : io_(io), registry_(registry), health_(health), config_(std::move(config)) {}

MetricsController::~MetricsController() { stop(); }

std::optional<std::string> MetricsController::start() {
  if (config_.path.empty() || config_.path.front() != '/') {
    return fmt::format("invalid --metrics-path \"{}\": it must start with '/'", config_.path);
  }
  KR_INFO("Starting metrics controller");
  ipvs_metrics_export_time(registry_);
  HttpRouter router;
  router.add(config_.path, metrics_handler(registry_));
  server_ = std::make_unique<HttpServer>(io_, "metrics", std::move(router));
  if (auto error = server_->listen(config_.listen)) {
    server_.reset();
    return fmt::format("failed to listen on {} for {}: {}", to_string(config_.listen),
                       kMetricsListenPurpose, *error);
  }
  heartbeat_ = std::make_shared<Heartbeat>(io_, health_);
  heartbeat_->beat();
  return std::nullopt;
}

std::uint16_t MetricsController::port() const { return server_ ? server_->port() : 0; }

void MetricsController::stop() {
  if (heartbeat_) {
    KR_INFO("Shutting down metrics controller");
    heartbeat_->timer.cancel();
    heartbeat_.reset();
  }
  if (server_) {
    server_->stop();
  }
}

}  // namespace kr::observe
