// The kube-router binary's command-line contract as a user meets it: exit statuses and the
// first line it prints (flags.md §1 and §3.5). Nothing here gets as far as the network.
#include <gtest/gtest.h>

#include "daemon_process.h"
#include "support/root.h"
#include "support/run.h"
#include "support/temp_dir.h"

namespace kr::test {
namespace {

RunResult kube_router(std::vector<std::string> args) {
  args.insert(args.begin(), kube_router_binary());
  return run(args);
}

TEST(CommandLine, HelpPrintsUsageAndExitsZero) {
  const RunResult result = kube_router({"-h"});
  EXPECT_EQ(result.status.code, 0);
  EXPECT_EQ(result.err.rfind("Usage of ", 0), 0u) << result.err;
  EXPECT_NE(result.err.find("      --run-firewall"), std::string::npos);
}

TEST(CommandLine, VersionExitsZero) {
  const RunResult result = kube_router({"--version"});
  EXPECT_EQ(result.status.code, 0);
  EXPECT_NE(result.err.find("version v"), std::string::npos) << result.err;
}

TEST(CommandLine, UnknownFlagExitsTwo) {
  const RunResult result = kube_router({"--no-such-flag"});
  EXPECT_EQ(result.status.code, 2);
  EXPECT_NE(result.err.find("unknown flag: --no-such-flag"), std::string::npos) << result.err;
}

TEST(CommandLine, BadValueExitsTwo) {
  const RunResult result = kube_router({"--health-port=abc"});
  EXPECT_EQ(result.status.code, 2);
  EXPECT_NE(result.err.find("--health-port"), std::string::npos) << result.err;
}

TEST(CommandLine, PositionalArgumentExitsOne) {
  // `--run-router false` leaves "false" as a positional argument, as in Go's pflag.
  const RunResult result = kube_router({"--run-router", "false"});
  EXPECT_EQ(result.status.code, 1);
  EXPECT_NE(result.err.find("unrecognized positional argument(s): [false]"), std::string::npos)
      << result.err;
}

TEST(CommandLine, NothingToRunExitsZero) {
  if (!running_as_root()) {
    GTEST_SKIP() << "kube-router checks for root before this";
  }
  // A valid kubeconfig: upstream builds the client configuration before this check.
  const TempDir dir("kubeconfig");
  const auto kubeconfig = dir.write("config", R"(apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
)");
  const RunResult result =
      kube_router({"--run-router=false", "--run-firewall=false", "--run-service-proxy=false",
                   "--kubeconfig=" + kubeconfig.string()});
  EXPECT_EQ(result.status.code, 0) << result.err;
  EXPECT_NE(result.err.find("Router, Firewall or Service proxy functionality must be specified"),
            std::string::npos)
      << result.err;
}

TEST(CommandLine, UnreadableKubeconfigExitsOneNamingTheFile) {
  if (!running_as_root()) {
    GTEST_SKIP() << "kube-router checks for root before this";
  }
  const RunResult result = kube_router({"--kubeconfig=/nonexistent/kubeconfig"});
  EXPECT_EQ(result.status.code, 1);
  EXPECT_NE(result.err.find("/nonexistent/kubeconfig"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace kr::test
