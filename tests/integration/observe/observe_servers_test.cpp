// The health and metrics endpoints served for real on 127.0.0.1 (port 0), checked with curl,
// raw sockets and promtool.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "base/errno_text.h"
#include "http_client.h"
#include "observe/build_info.h"
#include "observe/health_controller.h"
#include "observe/health_server.h"
#include "observe/listen_address.h"
#include "observe/metrics_controller.h"
#include "observe/process_metrics.h"
#include "observe/registry.h"
#include "support/ports.h"

namespace kr::observe {
namespace {

using namespace std::chrono_literals;
using http_test::curl_fetch;
using http_test::RawConnection;
using http_test::run_command;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// The metrics server binds port 0 itself; for /healthz port 0 means "no server", so its tests
// take a port that is free right now.
const ListenAddress kLoopbackAnyPort{"127.0.0.1", 0};

ListenAddress free_loopback(const std::string& host = "127.0.0.1") {
  return {host, static_cast<std::uint16_t>(kr::test::free_tcp_port(host))};
}

// Owns the io_context and the thread running it. Servers are created and started before the
// thread runs, stopped on it, and destroyed after it has finished.
class ObserveServers : public ::testing::Test {
 protected:
  void run_io() {
    io_thread_ = std::thread([this] { io_.run(); });
  }

  // Runs `fn` on the io thread and waits for it.
  void on_io(std::function<void()> fn) {
    std::promise<void> done;
    boost::asio::post(io_, [&] {
      fn();
      done.set_value();
    });
    done.get_future().wait();
  }

  void TearDown() override {
    work_.reset();
    io_.stop();
    if (io_thread_.joinable()) {
      io_thread_.join();
    }
  }

  SteadyClock fake_clock() {
    return [this] {
      return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(fake_now_ns_.load()));
    };
  }
  void advance_fake_clock(std::chrono::nanoseconds by) { fake_now_ns_ += by.count(); }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ =
      boost::asio::make_work_guard(io_);
  std::thread io_thread_;
  // Read by the health controller on the io thread while the test thread moves it.
  std::atomic<std::int64_t> fake_now_ns_{
      std::chrono::nanoseconds(std::chrono::hours(1000)).count()};
};

TEST_F(ObserveServers, HealthzReportsOkThenUnhealthyThenRecovers) {
  HealthController health(io_, {.run_firewall = true, .iptables_sync_period = 10s}, fake_clock());
  HealthServer server(io_, health);
  ASSERT_EQ(server.start(free_loopback()), std::nullopt);
  ASSERT_NE(server.port(), 0);
  health.set_alive();
  run_io();

  auto ok = curl_fetch(server.port(), "/healthz");
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.body, "OK\n");
  EXPECT_EQ(ok.content_type, "text/plain; charset=utf-8");

  advance_fake_clock(12s);
  EXPECT_FALSE(health.check());
  auto bad = curl_fetch(server.port(), "/healthz");
  EXPECT_EQ(bad.status, 500) << bad.body;
  EXPECT_EQ(bad.body, "Unhealthy");

  health.heartbeat(Component::kNetworkPolicy);
  EXPECT_TRUE(health.check());
  EXPECT_EQ(curl_fetch(server.port(), "/healthz").status, 200);
  on_io([&] { server.stop(); });
}

TEST_F(ObserveServers, HealthServerAnswersAnyMethodButOnlyAtHealthz) {
  HealthController health(io_, {});
  HealthServer server(io_, health);
  ASSERT_EQ(server.start(free_loopback()), std::nullopt);
  run_io();

  EXPECT_EQ(curl_fetch(server.port(), "/healthz", "POST").body, "OK\n");
  EXPECT_EQ(curl_fetch(server.port(), "/healthz", "DELETE").status, 200);
  const auto head = curl_fetch(server.port(), "/healthz", "HEAD");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.content_length, "3");
  EXPECT_EQ(head.body, "");
  const auto missing = curl_fetch(server.port(), "/metrics");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, "404 page not found\n");
  on_io([&] { server.stop(); });
}

TEST_F(ObserveServers, HealthPortZeroServesNothing) {
  HealthController health(io_, {});
  HealthServer server(io_, health);
  EXPECT_EQ(server.start({"127.0.0.1", 0}), std::nullopt);
  EXPECT_EQ(server.port(), 0);
}

std::string write_temp_file(const std::string& content) {
  std::string path =
      ::testing::TempDir() + "observe_metrics_" + std::to_string(::getpid()) + ".prom";
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

TEST_F(ObserveServers, ScrapedMetricsPassPromtool) {
  if (!std::filesystem::exists("/usr/bin/promtool")) {
    GTEST_SKIP() << "promtool (Debian package prometheus) is not installed";
  }
  Registry registry;
  auto process = add_process_collector(registry);
  register_build_info(registry, compiler_id(), "v2.11.0-test");
  registry
      .counter_family("kube_router_test_escapes_total", "Label values \\ with \"quotes\"\nlines",
                      {"svc_namespace", "service_name"})
      .with_labels({"ns \"quoted\"", "back\\slash\nnewline"})
      ->inc(2);
  registry.histogram_family("kube_router_test_sync_seconds", "Sync time", {"family"})
      .with_labels({"ipv4"})
      ->observe(0.2);
  ipvs_metrics_export_time(registry).observe(0.003);
  HealthController health(io_, {.metrics_enabled = true});
  MetricsController metrics(io_, registry, health, {.listen = kLoopbackAnyPort});
  ASSERT_EQ(metrics.start(), std::nullopt);
  run_io();

  const auto scrape = curl_fetch(metrics.port(), "/metrics");
  ASSERT_EQ(scrape.status, 200) << scrape.body;
  EXPECT_EQ(scrape.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_THAT(scrape.body, HasSubstr("kube_router_build_info{goversion=\"" + compiler_id() +
                                     "\",version=\"v2.11.0-test\"} 1\n"));
  EXPECT_THAT(scrape.body, HasSubstr("kube_router_controller_ipvs_metrics_export_time_count 1\n"));
  EXPECT_THAT(scrape.body, HasSubstr("process_resident_memory_bytes "));
  EXPECT_THAT(scrape.body, HasSubstr("promhttp_metric_handler_requests_total{code=\"200\"} 0\n"));

  const std::string file = write_temp_file(scrape.body);
  const auto check = run_command("/usr/bin/promtool check metrics < '" + file + "'");
  std::filesystem::remove(file);
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_EQ(check.output, "") << "promtool reported problems";

  EXPECT_THAT(curl_fetch(metrics.port(), "/metrics").body,
              HasSubstr("promhttp_metric_handler_requests_total{code=\"200\"} 1\n"));
  on_io([&] { metrics.stop(); });
}

TEST_F(ObserveServers, MetricsServedOnlyAtTheConfiguredPath) {
  Registry registry;
  HealthController health(io_, {.metrics_enabled = true});
  MetricsController metrics(io_, registry, health,
                            {.listen = kLoopbackAnyPort, .path = "/kube-router/metrics"});
  ASSERT_EQ(metrics.start(), std::nullopt);
  run_io();
  EXPECT_EQ(curl_fetch(metrics.port(), "/kube-router/metrics").status, 200);
  EXPECT_EQ(curl_fetch(metrics.port(), "/metrics").status, 404);
  EXPECT_EQ(curl_fetch(metrics.port(), "/healthz").status, 404);
  on_io([&] { metrics.stop(); });
}

TEST_F(ObserveServers, MetricsRejectsPathWithoutLeadingSlash) {
  Registry registry;
  HealthController health(io_, {});
  MetricsController metrics(io_, registry, health, {.listen = kLoopbackAnyPort, .path = "metrics"});
  const auto error = metrics.start();
  ASSERT_TRUE(error.has_value());
  EXPECT_THAT(*error, HasSubstr("--metrics-path \"metrics\""));
}

TEST_F(ObserveServers, KeepAliveServesSeveralRequestsOnOneConnection) {
  HealthController health(io_, {});
  HealthServer server(io_, health);
  ASSERT_EQ(server.start(free_loopback()), std::nullopt);
  run_io();

  RawConnection connection(server.port());
  ASSERT_TRUE(connection.connected()) << kr::errno_text(connection.connect_errno());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(connection.send_all("GET /healthz HTTP/1.1\r\nHost: node\r\n\r\n"));
    const auto response = connection.read_response();
    ASSERT_TRUE(response.has_value()) << "request " << i << " got no response";
    EXPECT_THAT(*response, StartsWith("HTTP/1.1 200 OK\r\n"));
    EXPECT_THAT(*response, ::testing::EndsWith("\r\n\r\nOK\n"));
  }
  // Pipelined requests are answered in order.
  ASSERT_TRUE(connection.send_all(
      "GET /nope HTTP/1.1\r\nHost: node\r\n\r\nGET /healthz HTTP/1.1\r\nHost: node\r\n\r\n"));
  EXPECT_THAT(connection.read_response().value_or(""), StartsWith("HTTP/1.1 404"));
  EXPECT_THAT(connection.read_response().value_or(""), StartsWith("HTTP/1.1 200"));
  on_io([&] { server.stop(); });
}

TEST_F(ObserveServers, MalformedRequestGets400AndIsClosed) {
  HealthController health(io_, {});
  HealthServer server(io_, health);
  ASSERT_EQ(server.start(free_loopback()), std::nullopt);
  run_io();

  RawConnection connection(server.port());
  ASSERT_TRUE(connection.connected());
  ASSERT_TRUE(connection.send_all("GET /healthz HTTP/1.1\r\nbroken header line\r\n\r\n"));
  EXPECT_THAT(connection.read_response().value_or(""), StartsWith("HTTP/1.1 400"));
  EXPECT_TRUE(connection.closed_by_peer());
  // The server keeps serving others.
  EXPECT_EQ(curl_fetch(server.port(), "/healthz").status, 200);
  on_io([&] { server.stop(); });
}

TEST_F(ObserveServers, StopClosesTheListenerAndIdleConnections) {
  HealthController health(io_, {});
  HealthServer server(io_, health);
  ASSERT_EQ(server.start(free_loopback()), std::nullopt);
  const std::uint16_t port = server.port();
  run_io();

  RawConnection idle(port);
  ASSERT_TRUE(idle.connected());
  ASSERT_TRUE(idle.send_all("GET /healthz HTTP/1.1\r\nHost: node\r\n\r\n"));
  ASSERT_TRUE(idle.read_response().has_value());

  server.stop();  // from another thread, as a signal handler would
  EXPECT_TRUE(idle.closed_by_peer()) << "an idle keep-alive connection is closed on stop";
  RawConnection late(port);
  EXPECT_FALSE(late.connected());
  EXPECT_EQ(late.connect_errno(), ECONNREFUSED);
}

TEST_F(ObserveServers, BindabilityCheckNamesAddressPurposeAndReason) {
  EXPECT_EQ(check_bindable(kLoopbackAnyPort, kHealthListenPurpose), std::nullopt);

  HealthController health(io_, {});
  HealthServer busy(io_, health);
  ASSERT_EQ(busy.start(free_loopback()), std::nullopt);
  const std::string where = "127.0.0.1:" + std::to_string(busy.port());
  EXPECT_EQ(check_bindable({"127.0.0.1", busy.port()}, kHealthListenPurpose),
            "failed to listen on " + where + " for health controller: unable to open " + where +
                ": bind: Address already in use");

  Registry registry;
  MetricsController metrics(io_, registry, health, {.listen = {"127.0.0.1", busy.port()}});
  EXPECT_EQ(metrics.start(), "failed to listen on " + where + " for metrics: unable to open " +
                                 where + ": bind: Address already in use");

  const auto bad_host = check_bindable({"[10.0.0.1]", 1234}, kMetricsListenPurpose);
  ASSERT_TRUE(bad_host.has_value());
  EXPECT_THAT(*bad_host, StartsWith("failed to listen on [10.0.0.1]:1234 for metrics: "));
}

TEST_F(ObserveServers, ServesOnIpv6LoopbackWithOrWithoutBrackets) {
  if (check_bindable({"::1", 0}, kHealthListenPurpose).has_value()) {
    GTEST_SKIP() << "no IPv6 loopback on this machine";
  }
  HealthController health(io_, {});
  HealthServer plain(io_, health);
  HealthServer bracketed(io_, health);
  ASSERT_EQ(plain.start(free_loopback("::1")), std::nullopt);
  ASSERT_EQ(bracketed.start({"[::1]", free_loopback("::1").port}), std::nullopt);
  run_io();
  EXPECT_EQ(curl_fetch(plain.port(), "/healthz", "GET", /*ipv6=*/true).body, "OK\n");
  EXPECT_EQ(curl_fetch(bracketed.port(), "/healthz", "GET", /*ipv6=*/true).body, "OK\n");
  on_io([&] {
    plain.stop();
    bracketed.stop();
  });
}

// Spec checklist: a metrics-enabled instance becomes unhealthy within ~5-10 s of the metrics
// loop stopping. Uses the real clock and the health controller's own 5 s check loop.
TEST_F(ObserveServers, NodeTurnsUnhealthyAfterMetricsHeartbeatsStop) {
  Registry registry;
  HealthController health(io_, {.metrics_enabled = true});
  HealthServer server(io_, health);
  MetricsController metrics(io_, registry, health, {.listen = kLoopbackAnyPort});
  ASSERT_EQ(server.start(free_loopback()), std::nullopt);
  health.start();
  ASSERT_EQ(metrics.start(), std::nullopt);
  run_io();

  // Past the 5 s metrics deadline: only the 3 s heartbeats keep the node healthy.
  std::this_thread::sleep_for(7s);
  EXPECT_TRUE(health.check());
  EXPECT_EQ(curl_fetch(server.port(), "/healthz").status, 200);

  on_io([&] { metrics.stop(); });
  int status = 200;
  for (int i = 0; i < 40 && status == 200; ++i) {
    std::this_thread::sleep_for(500ms);
    status = curl_fetch(server.port(), "/healthz").status;
  }
  EXPECT_EQ(status, 500) << "still healthy 20 s after the metrics controller stopped";
  on_io([&] {
    health.stop();
    server.stop();
  });
}

}  // namespace
}  // namespace kr::observe
