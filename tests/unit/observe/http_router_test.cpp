#include "observe/http_router.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "observe/health_server.h"
#include "observe/metrics_controller.h"

namespace kr::observe {
namespace {

HttpRouter echo_router() {
  HttpRouter router;
  router.add("/healthz", [](const HttpRequest& request) {
    return HttpResponse{.body = request.method + " " + request.path};
  });
  return router;
}

TEST(HttpRouter, RoutesExactPathWithAnyMethod) {
  const HttpRouter router = echo_router();
  EXPECT_EQ(router.handle("GET", "/healthz").body, "GET /healthz");
  EXPECT_EQ(router.handle("POST", "/healthz").body, "POST /healthz");
  EXPECT_EQ(router.handle("BREW", "/healthz").body, "BREW /healthz");
}

TEST(HttpRouter, IgnoresQueryAndDecodesPath) {
  const HttpRouter router = echo_router();
  EXPECT_EQ(router.handle("GET", "/healthz?verbose=1").body, "GET /healthz");
  EXPECT_EQ(router.handle("GET", "/heal%74hz").body, "GET /healthz");
  EXPECT_EQ(router.handle("GET", "http://node:20244/healthz").body, "GET /healthz");
}

TEST(HttpRouter, UnknownPathsGetGoStyle404) {
  const HttpRouter router = echo_router();
  for (const char* target : {"/", "/healthz/", "/healthzz", "/metrics", "http://node:20244"}) {
    const HttpResponse response = router.handle("GET", target);
    EXPECT_EQ(response.status, 404u) << target;
    EXPECT_EQ(response.body, "404 page not found\n") << target;
    EXPECT_EQ(response.content_type, "text/plain; charset=utf-8");
  }
}

TEST(HttpRouter, InvalidTargetGets400) {
  const HttpRouter router = echo_router();
  EXPECT_EQ(router.handle("GET", "/he llo").status, 400u);
  EXPECT_EQ(router.handle("GET", "not a uri").status, 400u);
}

TEST(HttpRouter, RejectsBadRoutes) {
  HttpRouter router = echo_router();
  EXPECT_THROW(router.add("/healthz", {}), std::invalid_argument);
  EXPECT_THROW(router.add("metrics", {}), std::invalid_argument);
  EXPECT_THROW(router.add("", {}), std::invalid_argument);
}

TEST(Healthz, AnswersLikeUpstream) {
  const HttpResponse ok = healthz_response(true);
  EXPECT_EQ(ok.status, 200u);
  EXPECT_EQ(ok.body, "OK\n");
  EXPECT_EQ(ok.content_type, "text/plain; charset=utf-8");
  const HttpResponse bad = healthz_response(false);
  EXPECT_EQ(bad.status, 500u);
  EXPECT_EQ(bad.body, "Unhealthy");
}

TEST(MetricsHandler, ServesTextFormatAndCountsScrapes) {
  Registry registry;
  registry.gauge("kube_router_controller_policy_chains", "Active policy chains").set(4);
  const HttpHandler handler = metrics_handler(registry);
  const HttpResponse first = handler(HttpRequest{.method = "GET", .path = "/metrics"});
  EXPECT_EQ(first.status, 200u);
  EXPECT_EQ(first.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(first.body.find("kube_router_controller_policy_chains 4\n"), std::string::npos);
  // promhttp counts a scrape after answering it, and exposes the usual codes from the start.
  EXPECT_NE(first.body.find("promhttp_metric_handler_requests_total{code=\"200\"} 0\n"),
            std::string::npos);
  EXPECT_NE(first.body.find("promhttp_metric_handler_requests_total{code=\"503\"} 0\n"),
            std::string::npos);
  EXPECT_NE(first.body.find("promhttp_metric_handler_requests_in_flight 1\n"), std::string::npos);
  const HttpResponse second = handler(HttpRequest{.method = "GET", .path = "/metrics"});
  EXPECT_NE(second.body.find("promhttp_metric_handler_requests_total{code=\"200\"} 1\n"),
            std::string::npos);
}

TEST(MetricsPort, EnabledOnlyBetweenZeroAnd65535Exclusive) {
  EXPECT_FALSE(metrics_port_enabled(0));
  EXPECT_TRUE(metrics_port_enabled(1));
  EXPECT_TRUE(metrics_port_enabled(8080));
  EXPECT_TRUE(metrics_port_enabled(65534));
  EXPECT_FALSE(metrics_port_enabled(65535));
}

}  // namespace
}  // namespace kr::observe
