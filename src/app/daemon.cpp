#include "app/daemon.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <future>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "app/api_metrics.h"
#include "app/shutdown_signals.h"
#include "app/version.h"
#include "base/log.h"
#include "k8s/client.h"
#include "k8s/go_duration.h"
#include "k8s/informer_set.h"
#include "observe/build_info.h"
#include "observe/health_controller.h"
#include "observe/health_server.h"
#include "observe/listen_address.h"
#include "observe/metrics_controller.h"
#include "observe/process_metrics.h"
#include "observe/registry.h"
#include "options/validate.h"

namespace kr::app {
namespace {

using namespace std::chrono_literals;

// Everything must be stopped within this time after SIGTERM (then the I/O loop is cut short).
constexpr auto kShutdownDeadline = 4s;

int fail(const std::string& message) {
  std::cerr << message << '\n';
  return 1;
}

// Controllers that are not part of this build yet: say so once instead of silently ignoring
// the flag, and leave them out of the health deadlines (they never heartbeat).
void log_unavailable_controllers(const options::Config& config) {
  const auto note = [](bool enabled, const char* flag, const char* what) {
    if (enabled) {
      KR_WARN("{} is not part of this build yet: {} has no effect", what, flag);
    }
  };
  note(config.run_router, "--run-router", "the routing controller (BGP, CNI, overlay)");
  note(config.run_firewall, "--run-firewall", "the network policy controller");
  note(config.run_service_proxy, "--run-service-proxy", "the service proxy controller");
  note(config.run_loadbalancer, "--run-loadbalancer", "the load balancer allocator");
  if (config.enable_pprof) {
    KR_WARN("--enable-pprof: this build has no pprof endpoint (see docs/differences.md)");
  }
}

observe::HealthConfig health_config(const options::Config& config) {
  observe::HealthConfig health;
  health.metrics_enabled = options::metrics_enabled(config);
  health.iptables_sync_period = config.iptables_sync_period;
  health.loadbalancer_sync_period = config.loadbalancer_sync_period;
  health.routes_sync_period = config.routes_sync_period;
  health.injected_routes_sync_period = config.injected_routes_sync_period;
  health.ipvs_sync_period = config.ipvs_sync_period;
  return health;
}

// Runs `fn` on the I/O thread and waits for its result.
template <class Fn>
auto on_io_thread(boost::asio::io_context& io, Fn fn) {
  std::packaged_task<decltype(fn())()> task(std::move(fn));
  auto result = task.get_future();
  boost::asio::post(io, [&task] { task(); });
  return result.get();
}

// The daemon's parts, in start order; destroyed in reverse.
class Daemon {
 public:
  Daemon(const options::Config& config, const k8s::ClientConfig& client_config)
      : config_(config),
        health_(io_, health_config(config)),
        health_server_(io_, health_),
        client_(io_, client_config),
        informers_(client_) {}

  ~Daemon() { stop_io_thread(); }

  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  std::optional<std::string> start() {
    const observe::ListenAddress health_address{config_.health_addr, config_.health_port};
    if (config_.health_port != 0) {
      if (auto error = observe::check_bindable(health_address, observe::kHealthListenPurpose)) {
        return error;
      }
    }
    if (auto error = health_server_.start(health_address)) {
      return error;
    }
    informers_.start();
    io_thread_ = std::thread([this] { io_.run(); });

    if (auto error = wait_for_caches()) {
      return error;
    }
    on_io_thread(io_, [this] {
      health_.start();
      return 0;
    });
    if (options::metrics_enabled(config_)) {
      if (auto error = start_metrics()) {
        return error;
      }
    } else {
      KR_INFO("Metrics port must be over 0 and under 65535 in order to be enabled, given port: {}",
              config_.metrics_port);
      KR_INFO("Disabling metrics for kube-router, set --metrics-port properly in order to enable");
    }
    log_unavailable_controllers(config_);
    return std::nullopt;
  }

  // True when SIGTERM/SIGINT arrived while start() waited for the caches.
  bool interrupted() const { return interrupted_; }

  // Returns once SIGTERM or SIGINT has arrived.
  static void wait_for_shutdown() {
    while (!wait_for_shutdown_signal(1s)) {
    }
  }

  void stop() {
    KR_INFO("Shutting down the controllers");
    auto stopped = std::async(std::launch::async, [this] {
      on_io_thread(io_, [this] {
        if (metrics_) {
          metrics_->stop();
        }
        health_server_.stop();
        health_.stop();
        informers_.stop();
        client_.shutdown();
        return 0;
      });
    });
    if (stopped.wait_for(kShutdownDeadline) != std::future_status::ready) {
      KR_WARN("controllers did not stop within {}s; stopping the I/O loop",
              kShutdownDeadline.count());
    }
    stop_io_thread();
  }

 private:
  // Waits for every informer's first LIST, up to --cache-sync-timeout. SIGTERM/SIGINT during
  // the wait abort start-up like a timeout would, without the error.
  std::optional<std::string> wait_for_caches() {
    const auto deadline = std::chrono::steady_clock::now() + config_.cache_sync_timeout;
    while (!informers_.has_synced()) {
      if (std::chrono::steady_clock::now() >= deadline) {
        return "failed to synchronize cache: " +
               k8s::format_go_duration(config_.cache_sync_timeout) + " timeout";
      }
      if (wait_for_shutdown_signal(100ms)) {
        interrupted_ = true;
        return std::nullopt;
      }
    }
    KR_INFO("caches synced");
    return std::nullopt;
  }

  std::optional<std::string> start_metrics() {
    const observe::ListenAddress address{config_.metrics_addr, config_.metrics_port};
    if (auto error = observe::check_bindable(address, observe::kMetricsListenPurpose)) {
      return error;
    }
    observe::register_build_info(registry_, observe::compiler_id(), kVersion);
    process_collector_ = observe::add_process_collector(registry_);
    api_collector_ = add_api_client_collector(registry_, client_.metrics());
    metrics_ = std::make_unique<observe::MetricsController>(
        io_, registry_, health_,
        observe::MetricsConfig{.listen = address, .path = config_.metrics_path});
    return on_io_thread(io_, [this] { return metrics_->start(); });
  }

  void stop_io_thread() {
    work_.reset();
    io_.stop();
    if (io_thread_.joinable()) {
      io_thread_.join();
    }
  }

  const options::Config& config_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      io_.get_executor()};
  observe::Registry registry_;
  observe::HealthController health_;
  observe::HealthServer health_server_;
  k8s::Client client_;
  k8s::InformerSet informers_;
  std::unique_ptr<observe::MetricsController> metrics_;
  observe::CollectorHandle process_collector_;
  observe::CollectorHandle api_collector_;
  std::thread io_thread_;
  bool interrupted_ = false;
};

}  // namespace

int run_daemon(const options::Config& config, const k8s::ClientConfig& client_config) {
  if (!config.run_router && !config.run_firewall && !config.run_service_proxy) {
    KR_INFO("Router, Firewall or Service proxy functionality must be specified. Exiting!");
    return 0;
  }
  if (auto error = options::validate_common(config)) {
    return fail(*error);
  }
  // Before any thread exists, so every thread inherits the blocked mask.
  block_shutdown_signals();

  std::unique_ptr<Daemon> daemon;
  try {
    daemon = std::make_unique<Daemon>(config, client_config);
  } catch (const k8s::ConfigError& error) {
    return fail(error.what());
  }
  if (auto error = daemon->start()) {
    daemon->stop();
    return fail(*error);
  }
  if (!daemon->interrupted()) {
    Daemon::wait_for_shutdown();
  }
  daemon->stop();
  return 0;
}

}  // namespace kr::app
