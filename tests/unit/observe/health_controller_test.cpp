#include "observe/health_controller.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <ostream>

namespace kr::observe {
namespace {

using namespace std::chrono_literals;

// Drives health decisions with a hand-moved clock; the io_context is only polled, so nothing
// here sleeps or depends on real time.
class HealthControllerTest : public ::testing::Test {
 protected:
  HealthController make(HealthConfig config) {
    return {io_, config, [this] { return now_; }};
  }
  void advance(std::chrono::steady_clock::duration by) { now_ += by; }

  boost::asio::io_context io_;
  std::chrono::steady_clock::time_point now_{std::chrono::hours(1000)};
};

HealthConfig only_firewall(std::chrono::seconds period) {
  return HealthConfig{.run_firewall = true, .iptables_sync_period = period};
}

TEST_F(HealthControllerTest, StartsHealthyAndStaysSoUntilSetAlive) {
  HealthController health = make(only_firewall(10s));
  EXPECT_TRUE(health.healthy());
  advance(1h);
  EXPECT_TRUE(health.check()) << "no deadline runs before the controllers are marked alive";
}

TEST_F(HealthControllerTest, WithoutHeartbeatDeadlineIsPeriodPlusGrace) {
  HealthController health = make(only_firewall(10s));
  health.set_alive();
  advance(11500ms);
  EXPECT_TRUE(health.check());
  advance(1ms);
  EXPECT_FALSE(health.check());
  EXPECT_FALSE(health.healthy());
}

TEST_F(HealthControllerTest, FirstHeartbeatDelayExtendsTheDeadline) {
  HealthController health = make(only_firewall(10s));
  health.set_alive();
  advance(4s);
  health.heartbeat(Component::kNetworkPolicy);  // TTL = 4 s
  advance(10s + 4s + 1500ms);
  EXPECT_TRUE(health.check());
  advance(1ms);
  EXPECT_FALSE(health.check());
}

TEST_F(HealthControllerTest, OnlyTheFirstHeartbeatSetsTheTtl) {
  HealthController health = make(only_firewall(10s));
  health.set_alive();
  advance(2s);
  health.heartbeat(Component::kNetworkPolicy);  // TTL = 2 s
  advance(9s);
  health.heartbeat(Component::kNetworkPolicy);  // TTL stays 2 s
  advance(13500ms);
  EXPECT_TRUE(health.check());
  advance(1ms);
  EXPECT_FALSE(health.check());
}

TEST_F(HealthControllerTest, RecoversWhenHeartbeatsResume) {
  HealthController health = make(only_firewall(10s));
  health.set_alive();
  advance(1min);
  EXPECT_FALSE(health.check());
  health.heartbeat(Component::kNetworkPolicy);
  EXPECT_TRUE(health.check());
  EXPECT_TRUE(health.healthy());
}

struct ControllerCase {
  const char* name;
  HealthConfig config;
  Component component;
  std::chrono::seconds period;
};

// Names the case in test listings (ctest shows the parameter).
void PrintTo(const ControllerCase& c, std::ostream* os) { *os << c.name; }

class EachControllerDeadline : public HealthControllerTest,
                               public ::testing::WithParamInterface<ControllerCase> {};

// Every enabled controller is held to its own period (+ TTL + 1.5 s); the others keep beating.
TEST_P(EachControllerDeadline, MissesOnlyAfterItsOwnPeriod) {
  const ControllerCase& c = GetParam();
  HealthController health = make(c.config);
  const Component all[] = {Component::kNetworkPolicy,   Component::kLoadBalancer,
                           Component::kNetworkRoutes,   Component::kRouteSync,
                           Component::kNetworkServices, Component::kMetrics};
  auto beat_others = [&] {
    for (Component other : all) {
      if (other != c.component) {
        health.heartbeat(other);
      }
    }
  };
  health.set_alive();
  advance(1s);
  health.heartbeat(c.component);  // TTL = 1 s (for controllers that use one)
  const auto ttl = c.component == Component::kMetrics ? 0s : 1s;
  const auto grace = c.component == Component::kMetrics ? 0ms : 1500ms;
  const auto allowed = c.period + ttl + grace;
  // Walk up to the deadline in steps shorter than 5 s so the metrics heartbeat stays fresh.
  auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(allowed);
  while (remaining > 0ms) {
    const auto step = std::min<std::chrono::milliseconds>(remaining, 4s);
    advance(step);
    remaining -= step;
    beat_others();
  }
  EXPECT_TRUE(health.check()) << c.name << " at its deadline";
  advance(1ms);
  beat_others();
  EXPECT_FALSE(health.check()) << c.name << " just past its deadline";
}

INSTANTIATE_TEST_SUITE_P(
    Health, EachControllerDeadline,
    ::testing::Values(
        ControllerCase{"NetworkPolicyController",
                       {.run_firewall = true, .metrics_enabled = true, .iptables_sync_period = 30s},
                       Component::kNetworkPolicy,
                       30s},
        ControllerCase{
            "LoadBalancerController",
            {.run_loadbalancer = true, .metrics_enabled = true, .loadbalancer_sync_period = 20s},
            Component::kLoadBalancer,
            20s},
        ControllerCase{"NetworkRoutesController",
                       {.run_router = true,
                        .metrics_enabled = true,
                        .routes_sync_period = 25s,
                        .injected_routes_sync_period = 60s},
                       Component::kNetworkRoutes,
                       25s},
        ControllerCase{"RouteSyncController",
                       {.run_router = true,
                        .metrics_enabled = true,
                        .routes_sync_period = 60s,
                        .injected_routes_sync_period = 15s},
                       Component::kRouteSync,
                       15s},
        ControllerCase{
            "NetworkServicesController",
            {.run_service_proxy = true, .metrics_enabled = true, .ipvs_sync_period = 40s},
            Component::kNetworkServices,
            40s},
        ControllerCase{"MetricsController",
                       {.run_firewall = true, .metrics_enabled = true, .iptables_sync_period = 1h},
                       Component::kMetrics,
                       5s}),
    [](const ::testing::TestParamInfo<ControllerCase>& info) { return info.param.name; });

TEST_F(HealthControllerTest, MetricsDeadlineIsFlatFiveSecondsWithoutTtl) {
  HealthController health = make(HealthConfig{.metrics_enabled = true});
  health.set_alive();
  advance(4s);
  health.heartbeat(Component::kMetrics);  // a late first heartbeat earns no extra time
  advance(5s);
  EXPECT_TRUE(health.check());
  advance(1ms);
  EXPECT_FALSE(health.check());
}

TEST_F(HealthControllerTest, DisabledControllersAndHairpinAreNotChecked) {
  HealthController health = make(HealthConfig{.run_firewall = true, .iptables_sync_period = 10s});
  health.set_alive();
  advance(9s);
  health.heartbeat(Component::kNetworkPolicy);
  advance(9s);
  health.heartbeat(Component::kNetworkPolicy);
  // Load balancer, router, proxy, metrics and hairpin never beat and are never judged.
  EXPECT_TRUE(health.check());
}

TEST_F(HealthControllerTest, RouterNeedsBothRoutingAndRouteSyncHeartbeats) {
  HealthController health = make(HealthConfig{
      .run_router = true, .routes_sync_period = 10s, .injected_routes_sync_period = 10s});
  health.set_alive();
  for (int i = 0; i < 5; ++i) {
    advance(5s);
    health.heartbeat(Component::kNetworkRoutes);
  }
  EXPECT_FALSE(health.check()) << "route sync never reported";
}

TEST_F(HealthControllerTest, HeartbeatsTriggerAnEvaluationOnTheIoContext) {
  HealthController health = make(HealthConfig{.run_firewall = true,
                                              .run_service_proxy = true,
                                              .iptables_sync_period = 10s,
                                              .ipvs_sync_period = 10s});
  health.start();
  advance(20s);
  health.heartbeat(Component::kNetworkPolicy);
  EXPECT_TRUE(health.healthy()) << "evaluation runs on the io_context, not in the caller";
  io_.poll();
  EXPECT_FALSE(health.healthy()) << "the proxy missed its deadline";
  health.heartbeat(Component::kNetworkServices);
  io_.poll();
  EXPECT_TRUE(health.healthy());
  health.stop();
}

TEST(HealthComponents, UseUpstreamIds) {
  EXPECT_EQ(component_id(Component::kNetworkRoutes), "NetworkRoutesController");
  EXPECT_EQ(component_id(Component::kLoadBalancer), "LoadBalancerController");
  EXPECT_EQ(component_id(Component::kNetworkPolicy), "NetworkPolicyController");
  EXPECT_EQ(component_id(Component::kNetworkServices), "NetworkServicesController");
  EXPECT_EQ(component_id(Component::kHairpin), "HairpinController");
  EXPECT_EQ(component_id(Component::kMetrics), "MetricsController");
  EXPECT_EQ(component_id(Component::kRouteSync), "RouteSyncController");
}

}  // namespace
}  // namespace kr::observe
