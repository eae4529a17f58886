// kube-router with --run-firewall as a process on a node: NetworkPolicies created and changed in
// the API end up enforced on real connections between two pod namespaces, /healthz and /metrics
// reflect the firewall, and the rules stay in the kernel after SIGTERM (flags.md §3.3).
#include <gtest/gtest.h>

#include <csignal>
#include <thread>

#include "daemon_process.h"
#include "firewall_node.h"
#include "support/root.h"
#include "support/wait.h"

namespace kr::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kPolicyPath =
    "/apis/networking.k8s.io/v1/namespaces/default/networkpolicies/server-ingress";

// Ingress to app=server on TCP 80 only from pods labelled app=<from>.
std::string server_policy(const std::string& from) {
  return R"({"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy",)"
         R"("metadata":{"name":"server-ingress","namespace":"default"},)"
         R"("spec":{"podSelector":{"matchLabels":{"app":"server"}},"policyTypes":["Ingress"],)"
         R"("ingress":[{"from":[{"podSelector":{"matchLabels":{"app":")" +
         from + R"("}}}],"ports":[{"protocol":"TCP","port":80}]}]}})";
}

std::string policy_patch(const std::string& from) {
  return R"({"spec":{"ingress":[{"from":[{"podSelector":{"matchLabels":{"app":")" + from +
         R"("}}}],"ports":[{"protocol":"TCP","port":80}]}]}})";
}

class DaemonFirewallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    KR_REQUIRE_ROOT_AND_TOOLS("ip", "curl", "ipset", "iptables-legacy-save", "iptables-nft-save");
  }
};

TEST_F(DaemonFirewallTest, EnforcesPoliciesFromTheApiAndKeepsThemAfterSigterm) {
  FirewallNode node;
  DaemonProcess daemon(node.netns(), node.dir(), node.args({"--iptables-sync-period=1m"}));

  // The firewall's chains appear in the node's namespace; with no policy everything connects.
  ASSERT_TRUE(wait_until(
      [&] { return has_line_starting(node.saved_rules(), ":KUBE-ROUTER-FORWARD"); }, 60s))
      << daemon.log();
  EXPECT_EQ(node.client_to_server(), "ok");

  // A policy that admits only app=trusted: the client (app=client) is rejected.
  node.api().create(server_policy("trusted"));
  EXPECT_TRUE(wait_until([&] { return node.client_to_server() == "refused"; }, 30s, 200ms))
      << daemon.log();

  // The policy changes to admit app=client: the connection goes through again.
  node.api().patch(kPolicyPath, policy_patch("client"));
  EXPECT_TRUE(wait_until([&] { return node.client_to_server() == "ok"; }, 30s, 200ms))
      << daemon.log();
  // The admitted peers live in an ipset of the firewall's.
  EXPECT_TRUE(has_line_starting(node.ipset_names(), "KUBE-SRC-")) << node.ipset_names();

  const HttpAnswer health = daemon.get(kHealthPort, "/healthz");
  EXPECT_EQ(health.status, 200) << health.body;
  const HttpAnswer metrics = daemon.get(kMetricsPort, "/metrics");
  ASSERT_EQ(metrics.status, 200);
  // The firewall's metrics are registered; the proxy's are not (it does not run).
  EXPECT_NE(metrics.body.find("kube_router_controller_iptables_sync_time_count"),
            std::string::npos);
  EXPECT_EQ(metrics.body.find("kube_router_controller_ipvs_services"), std::string::npos);

  daemon.process().signal(SIGTERM);
  const auto status = daemon.process().wait_for(15s);
  ASSERT_TRUE(status.has_value()) << "kube-router did not exit after SIGTERM\n" << daemon.log();
  EXPECT_EQ(status->code, 0) << status->describe() << '\n' << daemon.log();
  // Stopping leaves the firewall in place: pods stay protected while kube-router restarts.
  EXPECT_TRUE(has_line_starting(node.saved_rules(), ":KUBE-ROUTER-FORWARD"));
  EXPECT_EQ(node.client_to_server(), "ok");
}

TEST_F(DaemonFirewallTest, StaysHealthyWithOnlyTheControllersThatRun) {
  // Short periods: the firewall must heartbeat every second, while the routing controller,
  // which this build does not have, must not be waited for at all.
  FirewallNode node;
  DaemonProcess daemon(node.netns(), node.dir(),
                       node.args({"--run-router=true", "--iptables-sync-period=1s",
                                  "--routes-sync-period=1s", "--injected-routes-sync-period=1s"}));
  ASSERT_TRUE(wait_until(
      [&] { return has_line_starting(node.saved_rules(), ":KUBE-ROUTER-FORWARD"); }, 60s))
      << daemon.log();
  // Past every 1 s deadline (period + first-heartbeat delay + 1.5 s) several times over.
  std::this_thread::sleep_for(8s);
  const HttpAnswer health = daemon.get(kHealthPort, "/healthz");
  EXPECT_EQ(health.status, 200) << health.body << '\n' << daemon.log();
  EXPECT_EQ(daemon.log().find("heartbeat missed"), std::string::npos) << daemon.log();
  EXPECT_NE(daemon.log().find("--run-router has no effect"), std::string::npos);
}

}  // namespace
}  // namespace kr::test
