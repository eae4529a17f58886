// Start-up failures a user meets when the node or the kernel cannot serve the enabled
// controllers: kube-router exits 1 with one line naming the cause, as upstream's Run error does
// (flags.md §3.5), instead of running without the controller.
#include <gtest/gtest.h>

#include "api_in_netns.h"
#include "daemon_process.h"
#include "support/root.h"
#include "support/run.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace kr::test {
namespace {

using namespace std::chrono_literals;
using kr::testing::KubeconfigAuth;

class StartupFailureTest : public ::testing::Test {
 protected:
  void SetUp() override { KR_REQUIRE_ROOT_AND_TOOLS("ip", "iptables-save", "ipset"); }

  // Runs kube-router to its exit; returns the exit code and leaves the log in log_.
  int run_to_exit(const std::vector<std::string>& extra, std::vector<std::string> env = {}) {
    DaemonProcess daemon(netns_, dir_, api_.args(KubeconfigAuth::kToken, extra), std::move(env));
    const auto status = daemon.process().wait_for(60s);
    log_ = daemon.log();
    if (!status) {
      ADD_FAILURE() << "kube-router kept running\n" << log_;
      return -1;
    }
    return status->code;
  }

  ScopedNetns netns_;
  TempDir dir_{"daemon-startup"};
  ApiInNetns api_{netns_};
  std::string log_;
};

TEST_F(StartupFailureTest, MissingNodeObjectNamedByHostnameOverride) {
  EXPECT_EQ(run_to_exit({"--hostname-override=no-such-node", "--run-service-proxy=false"}), 1);
  EXPECT_NE(log_.find(R"(unable to get node no-such-node, due to: nodes "no-such-node" not found)"),
            std::string::npos)
      << log_;
  EXPECT_EQ(log_.find("started the network policy controller"), std::string::npos) << log_;
}

TEST_F(StartupFailureTest, MissingNodeObjectNamedByNodeNameEnvironment) {
  EXPECT_EQ(run_to_exit({"--run-service-proxy=false"}, {"NODE_NAME=ghost"}), 1);
  EXPECT_NE(log_.find(R"(unable to get node ghost, due to: nodes "ghost" not found)"),
            std::string::npos)
      << log_;
}

TEST_F(StartupFailureTest, NodeNameEnvironmentFindsTheNode) {
  api_.create_node("from-env", "192.168.50.7", "10.244.7.0/24");
  DaemonProcess daemon(netns_, dir_,
                       api_.args(KubeconfigAuth::kToken, {"--run-service-proxy=false"}),
                       {"NODE_NAME=from-env"});
  EXPECT_TRUE(wait_until(
      [&] {
        return daemon.log().find("started the network policy controller") != std::string::npos;
      },
      60s))
      << daemon.log();
  EXPECT_TRUE(daemon.process().running()) << daemon.log();
}

TEST_F(StartupFailureTest, FirewallNeedsAnAddressOfEveryEnabledFamily) {
  api_.create_node("v4-only", "192.168.50.8", "10.244.8.0/24");
  EXPECT_EQ(run_to_exit(
                {"--hostname-override=v4-only", "--run-service-proxy=false", "--enable-ipv6=true"}),
            1);
  EXPECT_NE(log_.find("failed to create network policy controller: IPv6 was enabled, but no IPv6 "
                      "address was found on the node"),
            std::string::npos)
      << log_;
}

TEST_F(StartupFailureTest, ServiceProxyOnAKernelWithoutIpvs) {
  // Resolving the IPVS generic netlink family is how the proxy finds IPVS.
  if (netns_.run({"genl", "ctrl", "get", "name", "IPVS"}).ok()) {
    GTEST_SKIP() << "this kernel has IPVS; the VM tier covers the running proxy";
  }
  api_.create_node("node1", "192.168.50.9", "10.244.9.0/24");
  EXPECT_EQ(run_to_exit({"--hostname-override=node1", "--run-service-proxy=true",
                         "--run-firewall=false", "--run-router=false"}),
            1);
  EXPECT_NE(log_.find("failed to create network services controller: "), std::string::npos) << log_;
  EXPECT_NE(log_.find("IPVS"), std::string::npos) << log_;
  EXPECT_NE(log_.find("--run-service-proxy=false"), std::string::npos) << log_;
}

}  // namespace
}  // namespace kr::test
