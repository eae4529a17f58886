#include "app/daemon.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <cstdlib>
#include <future>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "app/api_metrics.h"
#include "app/controller_set.h"
#include "app/node_lookup.h"
#include "app/shutdown_signals.h"
#include "app/version.h"
#include "base/log.h"
#include "go/duration.h"
#include "k8s/client.h"
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

// Everything must be stopped within this time after SIGTERM; past it the process exits anyway.
constexpr auto kShutdownDeadline = 4s;
// The GET of this node's Node object; the API server has just answered every LIST.
constexpr auto kNodeLookupTimeout = 30s;

int fail(const std::string& message) {
  std::cerr << message << '\n';
  return 1;
}

observe::HealthConfig health_config(const options::Config& config) {
  observe::HealthConfig health;
  // Exactly the controllers that run: a controller that cannot start ends kube-router.
  health.run_firewall = config.run_firewall;
  health.run_service_proxy = config.run_service_proxy;
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
    if (config_.enable_pprof) {
      KR_WARN("--enable-pprof: this build has no pprof endpoint (see docs/differences.md)");
    }
    return start_controllers();
  }

  // True when SIGTERM/SIGINT arrived while start() waited for the caches.
  bool interrupted() const { return interrupted_; }

  // Returns once SIGTERM or SIGINT has arrived.
  static void wait_for_shutdown() {
    while (!wait_for_shutdown_signal(1s)) {
    }
  }

  // Stops the controllers (last started first), then the servers and informers. False when
  // that did not finish within kShutdownDeadline: the caller must then end the process without
  // running destructors, which would wait for the part that hangs.
  bool stop() {
    KR_INFO("Shutting down the controllers");
    if (!io_thread_.joinable()) {  // start-up failed before the I/O loop ran
      stop_servers_and_informers();
      return true;
    }
    auto stopped = std::make_shared<std::promise<void>>();
    auto done = stopped->get_future();
    std::thread([this, stopped] {
      controllers_.stop();
      on_io_thread(io_, [this] {
        stop_servers_and_informers();
        return 0;
      });
      stopped->set_value();
    }).detach();
    if (done.wait_for(kShutdownDeadline) != std::future_status::ready) {
      KR_WARN("controllers did not stop within {}s; exiting without waiting for them",
              kShutdownDeadline.count());
      return false;
    }
    stop_io_thread();
    return true;
  }

 private:
  // Waits for every informer's first LIST, up to --cache-sync-timeout. SIGTERM/SIGINT during
  // the wait abort start-up like a timeout would, without the error.
  std::optional<std::string> wait_for_caches() {
    const auto deadline = std::chrono::steady_clock::now() + config_.cache_sync_timeout;
    while (!informers_.has_synced()) {
      if (std::chrono::steady_clock::now() >= deadline) {
        return "failed to synchronize cache: " + go::format_duration(config_.cache_sync_timeout) +
               " timeout";
      }
      if (wait_for_shutdown_signal(100ms)) {
        interrupted_ = true;
        return std::nullopt;
      }
    }
    KR_INFO("caches synced");
    return std::nullopt;
  }

  // Fetches this node's Node object when a controller needs it, then constructs and starts the
  // controllers (flags.md §3.2 steps 11-14).
  std::optional<std::string> start_controllers() {
    std::shared_ptr<const k8s::Node> node;
    if (needs_node_object(config_)) {
      const NodeLookup lookup =
          fetch_node(client_, resolve_node_name(config_.hostname_override), kNodeLookupTimeout);
      if (lookup.error) {
        return lookup.error;
      }
      node = lookup.node;
    }
    return controllers_.start({.config = config_,
                               .informers = informers_,
                               .node = node.get(),
                               .registry = metrics_ ? &registry_ : nullptr,
                               .health = health_,
                               .io = io_});
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

  // On the I/O thread (or before it runs).
  void stop_servers_and_informers() {
    if (metrics_) {
      metrics_->stop();
    }
    health_server_.stop();
    health_.stop();
    informers_.stop();
    client_.shutdown();
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
  // After the informers and the I/O loop: destroyed first, once the I/O thread has stopped, so
  // no informer handler can reach a destroyed controller.
  ControllerSet controllers_;
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
  std::optional<std::string> error = daemon->start();
  if (!error && !daemon->interrupted()) {
    Daemon::wait_for_shutdown();
  }
  const int status = error ? fail(*error) : 0;
  if (!daemon->stop()) {
    std::cerr.flush();
    std::_Exit(1);
  }
  return status;
}

}  // namespace kr::app
