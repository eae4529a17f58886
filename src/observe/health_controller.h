// Liveness of kube-router's controllers (upstream pkg/healthcheck/health_controller.go): each
// enabled controller must send heartbeats within its sync period plus the delay of its first
// heartbeat plus 1.5 s, the metrics controller within 5 s; otherwise /healthz reports 500.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string_view>

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace kr::observe {

enum class Component {
  kNetworkRoutes,
  kLoadBalancer,
  kNetworkPolicy,
  kNetworkServices,
  kHairpin,
  kMetrics,
  kRouteSync,
};

// Upstream's component ids, e.g. "NetworkRoutesController".
std::string_view component_id(Component component);

// Which controllers run and their sync periods; main fills it from the flags.
struct HealthConfig {
  bool run_firewall = false;       // --run-firewall: NetworkPolicyController
  bool run_loadbalancer = false;   // --run-loadbalancer: LoadBalancerController
  bool run_router = false;         // --run-router: NetworkRoutesController and RouteSyncController
  bool run_service_proxy = false;  // --run-service-proxy: NetworkServicesController
  bool metrics_enabled = false;    // 0 < --metrics-port < 65535: MetricsController
  std::chrono::nanoseconds iptables_sync_period = std::chrono::minutes(5);
  std::chrono::nanoseconds loadbalancer_sync_period = std::chrono::minutes(1);
  std::chrono::nanoseconds routes_sync_period = std::chrono::minutes(5);
  std::chrono::nanoseconds injected_routes_sync_period = std::chrono::minutes(1);
  std::chrono::nanoseconds ipvs_sync_period = std::chrono::minutes(5);
};

using SteadyClock = std::function<std::chrono::steady_clock::time_point()>;

// Lives on the daemon's io_context, which must be run by a single thread and outlive this object.
// start() and stop() are called on that thread (or before it runs); heartbeat() and healthy()
// from any thread.
class HealthController {
 public:
  // `clock` defaults to std::chrono::steady_clock; tests inject a fake one.
  HealthController(boost::asio::io_context& io, HealthConfig config, SteadyClock clock = {});
  ~HealthController();
  HealthController(const HealthController&) = delete;
  HealthController& operator=(const HealthController&) = delete;

  // Stamps every component "alive now" (upstream SetAlive, done once the informer caches have
  // synced); first-heartbeat delays (TTLs) are measured from here.
  void set_alive();

  // set_alive(), then evaluates health every 5 s and soon after each heartbeat.
  void start();
  void stop();

  // Records that `component` is alive now. The first heartbeat after set_alive() also fixes the
  // component's TTL (except for the metrics controller, whose deadline is a flat 5 s).
  void heartbeat(Component component);

  // The value /healthz serves. Starts true, so the node reports healthy during informer sync and
  // before the first evaluation (upstream behaviour).
  bool healthy() const;

  // Evaluates every enabled controller's deadline now, logs "<controller> heartbeat missed" for
  // each late one, stores and returns the result. Before set_alive() it changes nothing.
  bool check();

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace kr::observe
