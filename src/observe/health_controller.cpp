#include "observe/health_controller.h"

#include <array>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <mutex>
#include <optional>
#include <vector>

#include "base/log.h"

namespace kr::observe {
namespace {

using TimePoint = std::chrono::steady_clock::time_point;
using Duration = std::chrono::steady_clock::duration;

constexpr std::size_t kComponents = 7;
// Upstream defaultGraceTimeDuration: slack for load variation in sync time.
constexpr auto kGrace = std::chrono::milliseconds(1500);
constexpr auto kMetricsDeadline = std::chrono::seconds(5);
constexpr auto kCheckInterval = std::chrono::seconds(5);

struct Beat {
  TimePoint last{};
  std::optional<Duration> ttl;  // delay of the first heartbeat after set_alive()
};

// One line of upstream's CheckHealth, with its log text for a miss.
struct Deadline {
  Component component;
  Duration period;
  bool uses_ttl;
  const char* missed_message;
};

std::vector<Deadline> deadlines_for(const HealthConfig& config) {
  // Hairpin heartbeats are recorded but, as upstream, not checked.
  std::vector<Deadline> out;
  if (config.run_firewall) {
    out.push_back({Component::kNetworkPolicy, config.iptables_sync_period, true,
                   "Network Policy Controller heartbeat missed"});
  }
  if (config.run_loadbalancer) {
    out.push_back({Component::kLoadBalancer, config.loadbalancer_sync_period, true,
                   "Load Balancer Allocator Controller heartbeat missed"});
  }
  if (config.run_router) {
    out.push_back({Component::kNetworkRoutes, config.routes_sync_period, true,
                   "Network Routing Controller heartbeat missed"});
    out.push_back({Component::kRouteSync, config.injected_routes_sync_period, true,
                   "Route Sync Controller heartbeat missed"});
  }
  if (config.run_service_proxy) {
    out.push_back({Component::kNetworkServices, config.ipvs_sync_period, true,
                   "NetworkService Controller heartbeat missed"});
  }
  if (config.metrics_enabled) {
    out.push_back(
        {Component::kMetrics, kMetricsDeadline, false, "Metrics Controller heartbeat missed"});
  }
  return out;
}

}  // namespace

std::string_view component_id(Component component) {
  switch (component) {
    case Component::kNetworkRoutes:
      return "NetworkRoutesController";
    case Component::kLoadBalancer:
      return "LoadBalancerController";
    case Component::kNetworkPolicy:
      return "NetworkPolicyController";
    case Component::kNetworkServices:
      return "NetworkServicesController";
    case Component::kHairpin:
      return "HairpinController";
    case Component::kMetrics:
      return "MetricsController";
    case Component::kRouteSync:
      return "RouteSyncController";
  }
  return "UnknownController";
}

// Shared with the handlers queued on the io_context, which hold it weakly: a destroyed
// controller leaves only no-op handlers behind.
struct HealthController::State : std::enable_shared_from_this<State> {
  State(boost::asio::io_context& io_context, const HealthConfig& config, SteadyClock steady_clock)
      : io(io_context),
        deadlines(deadlines_for(config)),
        clock(std::move(steady_clock)),
        timer(io_context) {}

  bool evaluate() {
    const TimePoint now = clock();
    std::vector<const char*> missed;
    {
      std::lock_guard lock(mutex);
      if (!alive_marked) {
        return healthy.load();
      }
      for (const auto& deadline : deadlines) {
        const Beat& beat = beats[static_cast<std::size_t>(deadline.component)];
        const Duration allowed =
            deadline.uses_ttl ? deadline.period + beat.ttl.value_or(Duration::zero()) + kGrace
                              : deadline.period;
        if (now - beat.last > allowed) {
          missed.push_back(deadline.missed_message);
        }
      }
    }
    for (const char* message : missed) {
      KR_ERROR("{}", message);
    }
    healthy.store(missed.empty());
    return missed.empty();
  }

  void arm_timer() {
    timer.expires_after(kCheckInterval);
    timer.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
      auto self = weak.lock();
      if (ec || !self || !self->running) {
        return;
      }
      KR_V(4, "Health controller tick");
      self->evaluate();
      self->arm_timer();
    });
  }

  boost::asio::io_context& io;
  const std::vector<Deadline> deadlines;
  const SteadyClock clock;
  boost::asio::steady_timer timer;  // io thread only

  std::atomic<bool> healthy{true};
  std::atomic<bool> check_queued{false};
  std::atomic<bool> running{false};

  std::mutex mutex;
  bool alive_marked = false;
  std::array<Beat, kComponents> beats{};
};

HealthController::HealthController(boost::asio::io_context& io, HealthConfig config,
                                   SteadyClock clock)
    : state_(std::make_shared<State>(io, config, clock ? std::move(clock) : SteadyClock([] {
                                       return std::chrono::steady_clock::now();
                                     }))) {}

HealthController::~HealthController() { stop(); }

void HealthController::set_alive() {
  const TimePoint now = state_->clock();
  std::lock_guard lock(state_->mutex);
  state_->alive_marked = true;
  for (auto& beat : state_->beats) {
    beat.last = now;
  }
}

void HealthController::start() {
  set_alive();
  state_->running = true;
  state_->arm_timer();
}

void HealthController::stop() {
  if (state_->running.exchange(false)) {
    KR_INFO("Shutting down HealthController RunCheck");
    state_->timer.cancel();
  }
}

void HealthController::heartbeat(Component component) {
  KR_V(3, "Received heartbeat from {}", component_id(component));
  const TimePoint now = state_->clock();
  {
    std::lock_guard lock(state_->mutex);
    Beat& beat = state_->beats[static_cast<std::size_t>(component)];
    if (component != Component::kMetrics && state_->alive_marked && !beat.ttl) {
      beat.ttl = now - beat.last;
    }
    beat.last = now;
  }
  // Re-evaluate on the io thread as upstream's loop does on every heartbeat; a burst of
  // heartbeats from several workers is coalesced into one evaluation.
  if (state_->running && !state_->check_queued.exchange(true)) {
    boost::asio::post(state_->io, [weak = std::weak_ptr<State>(state_)] {
      if (auto self = weak.lock()) {
        self->check_queued = false;
        if (self->running) {
          self->evaluate();
        }
      }
    });
  }
}

bool HealthController::healthy() const { return state_->healthy.load(); }

bool HealthController::check() { return state_->evaluate(); }

}  // namespace kr::observe
