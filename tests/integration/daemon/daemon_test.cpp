// The kube-router daemon against apiserver-lite, as an operator runs it: it reaches cache sync,
// answers /healthz and /metrics, keeps its caches equal to the server through dropped watches,
// forced 410 Gone and 5xx bursts, works with every kubeconfig flavour, and stops cleanly on
// SIGTERM. Every daemon runs in a network namespace of the test's own.
#include <gtest/gtest.h>

#include <csignal>
#include <sstream>
#include <string>
#include <thread>

#include "api_in_netns.h"
#include "apiserver_lite_fixture.h"
#include "daemon_process.h"
#include "support/root.h"
#include "support/run.h"
#include "support/wait.h"

namespace kr::test {
namespace {

using namespace std::chrono_literals;
using kr::testing::ApiServerLite;
using kr::testing::KubeconfigAuth;

// A namespace of the test's own with an apiserver-lite listening inside it, and this node's
// Node object registered. The kernel here may have no IPVS, so the service proxy is off; the
// firewall runs (its rules stay inside the namespace).
class Cluster {
 public:
  Cluster() : api_(netns_) { api_.create_node("node1", "192.168.50.1", "10.244.1.0/24"); }

  ScopedNetns& netns() { return netns_; }
  ApiServerLite& api() { return api_.api(); }
  TempDir& dir() { return dir_; }

  std::vector<std::string> args(KubeconfigAuth auth, std::vector<std::string> extra = {}) const {
    std::vector<std::string> flags = {"--hostname-override=node1", "--run-service-proxy=false"};
    flags.insert(flags.end(), extra.begin(), extra.end());
    return api_.args(auth, flags);
  }

  void create_pod(const std::string& name) const {
    api_.create(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name +
                R"(","namespace":"default","labels":{"app":"web"}},)" +
                R"("spec":{"nodeName":"node1","containers":[{"name":"c"}]}})");
  }

  void delete_pod(const std::string& name) const {
    api_.remove("/api/v1/namespaces/default/pods/" + name);
  }

  void create_service(const std::string& name) const {
    api_.create(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":")" + name +
                R"(","namespace":"default"},"spec":{"type":"ClusterIP","ports":[{"port":80}]}})");
  }

  // Number of objects the server has at `path` (a list URL).
  size_t server_count(const std::string& path) const {
    const auto answer = api_.api().get(path);
    size_t count = 0;
    // Each item carries exactly one "uid" in its metadata.
    for (size_t at = answer.body.find("\"uid\""); at != std::string::npos;
         at = answer.body.find("\"uid\"", at + 1)) {
      ++count;
    }
    return count;
  }

 private:
  ScopedNetns netns_;
  TempDir dir_{"daemon"};
  ApiInNetns api_;
};

bool cached_equals(const DaemonProcess& daemon, const std::string& resource, size_t expected) {
  const auto cached = daemon.metric(
      kMetricsPort, R"(kube_router_api_objects_cached{resource=")" + resource + "\"}");
  return cached && *cached == static_cast<double>(expected);
}

class DaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!running_as_root()) {
      GTEST_SKIP() << "needs root (network namespaces, and kube-router refuses to run otherwise)";
    }
  }
};

TEST_F(DaemonTest, SyncsCachesAndServesHealthAndMetrics) {
  Cluster cluster;
  cluster.create_pod("a");
  cluster.create_pod("b");
  cluster.create_service("s");
  DaemonProcess daemon(cluster.netns(), cluster.dir(), cluster.args(KubeconfigAuth::kToken));

  ASSERT_TRUE(wait_until([&] { return cached_equals(daemon, "pods", 2); }, 30s)) << daemon.log();
  EXPECT_TRUE(cached_equals(daemon, "services", 1));
  EXPECT_NE(daemon.log().find("caches synced"), std::string::npos);

  const HttpAnswer health = daemon.get(kHealthPort, "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "OK\n");
  EXPECT_EQ(daemon.get(kHealthPort, "/other").status, 404);

  const HttpAnswer metrics = daemon.get(kMetricsPort, "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("kube_router_build_info{"), std::string::npos);
  EXPECT_NE(metrics.body.find("process_resident_memory_bytes "), std::string::npos);
  if (!find_executable("promtool").empty()) {
    RunOptions options;
    options.stdin_data = metrics.body;
    const RunResult lint = run({"promtool", "check", "metrics"}, options);
    EXPECT_TRUE(lint.ok()) << lint.out << lint.err;
  }
}

TEST_F(DaemonTest, KeepsCachesEqualToServerThroughWatchDropsGoneAndServerErrors) {
  Cluster cluster;
  for (int i = 0; i < 5; ++i) {
    cluster.create_pod("p" + std::to_string(i));
  }
  DaemonProcess daemon(cluster.netns(), cluster.dir(), cluster.args(KubeconfigAuth::kToken));
  ASSERT_TRUE(wait_until([&] { return cached_equals(daemon, "pods", 5); }, 30s)) << daemon.log();

  auto& api = cluster.api();
  ASSERT_EQ(api.request("POST", "/_lite/drop-watches").status, 200);
  cluster.create_pod("after-drop");
  cluster.delete_pod("p0");

  // Changes the daemon cannot see through its watch: it must relist after 410 Gone.
  ASSERT_EQ(api.request("POST", "/_lite/drop-watches").status, 200);
  cluster.delete_pod("p1");
  cluster.create_pod("during-gone");
  cluster.create_service("svc-during-gone");
  ASSERT_EQ(api.request("POST", "/_lite/compact").status, 200);

  // A burst of 503s while its watches reconnect (they retry with backoff), then more changes.
  ASSERT_EQ(api.request("POST", "/_lite/fail?status=503&count=12").status, 200);
  ASSERT_EQ(api.request("POST", "/_lite/drop-watches").status, 200);
  std::this_thread::sleep_for(2s);
  cluster.create_pod("after-errors-1");
  cluster.create_pod("after-errors-2");
  cluster.delete_pod("p2");

  // The caches are compared by size, so the final size (6) differs from what the daemon held
  // before the last drop (5): reaching it means the daemon saw the changes made after the 410.
  const size_t pods = cluster.server_count("/api/v1/pods");
  const size_t services = cluster.server_count("/api/v1/services");
  ASSERT_EQ(pods, 6u);  // p3, p4, after-drop, during-gone, after-errors-1, after-errors-2
  EXPECT_TRUE(wait_until([&] { return cached_equals(daemon, "pods", pods); }, 60s)) << daemon.log();
  EXPECT_TRUE(wait_until([&] { return cached_equals(daemon, "services", services); }, 60s))
      << daemon.log();
  const auto relists =
      daemon.metric(kMetricsPort, R"(kube_router_api_relists_total{resource="pods"})");
  ASSERT_TRUE(relists.has_value());
  EXPECT_GE(*relists, 1.0) << "the forced 410 should have made the pod informer relist";
  EXPECT_EQ(daemon.get(kHealthPort, "/healthz").status, 200);
}

TEST_F(DaemonTest, ExitsCleanlyOnSigterm) {
  Cluster cluster;
  DaemonProcess daemon(cluster.netns(), cluster.dir(), cluster.args(KubeconfigAuth::kToken));
  ASSERT_TRUE(wait_until([&] { return cached_equals(daemon, "pods", 0); }, 30s)) << daemon.log();

  daemon.process().signal(SIGTERM);
  const auto status = daemon.process().wait_for(10s);
  ASSERT_TRUE(status.has_value()) << "kube-router did not exit after SIGTERM\n" << daemon.log();
  EXPECT_EQ(status->code, 0) << status->describe() << '\n' << daemon.log();
  EXPECT_NE(daemon.log().find("Shutting down the controllers"), std::string::npos);
}

class KubeconfigFlavourTest : public DaemonTest,
                              public ::testing::WithParamInterface<KubeconfigAuth> {};

TEST_P(KubeconfigFlavourTest, ReachesSync) {
  Cluster cluster;
  cluster.create_pod("a");
  DaemonProcess daemon(cluster.netns(), cluster.dir(), cluster.args(GetParam()));
  EXPECT_TRUE(wait_until([&] { return cached_equals(daemon, "pods", 1); }, 30s)) << daemon.log();
}

INSTANTIATE_TEST_SUITE_P(Flavours, KubeconfigFlavourTest,
                         ::testing::Values(KubeconfigAuth::kToken, KubeconfigAuth::kTokenFile,
                                           KubeconfigAuth::kClientCertFiles,
                                           KubeconfigAuth::kInlineData,
                                           KubeconfigAuth::kInsecureSkipVerify));

TEST_F(DaemonTest, FailsStartupWhenCachesCannotSync) {
  Cluster cluster;
  // Nothing listens on port 1 inside the namespace.
  auto args = cluster.args(KubeconfigAuth::kToken,
                           {"--master=https://127.0.0.1:1", "--cache-sync-timeout=2s"});
  DaemonProcess daemon(cluster.netns(), cluster.dir(), args);
  const auto status = daemon.process().wait_for(30s);
  ASSERT_TRUE(status.has_value()) << daemon.log();
  EXPECT_EQ(status->code, 1);
  EXPECT_NE(daemon.log().find("failed to synchronize cache: 2s timeout"), std::string::npos)
      << daemon.log();
}

}  // namespace
}  // namespace kr::test
