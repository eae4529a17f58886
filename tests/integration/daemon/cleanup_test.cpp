// kube-router --cleanup-config on a node where it ran: everything of ours goes (the firewall a
// real daemon left behind, and the service proxy's chains and sets), another program's rule and
// ipset stay, a kernel without IPVS is not an error, and the report says what was removed.
#include <gtest/gtest.h>

#include <csignal>

#include "daemon_process.h"
#include "firewall_node.h"
#include "support/root.h"
#include "support/run.h"
#include "support/wait.h"

namespace kr::test {
namespace {

using namespace std::chrono_literals;

void must(const ScopedNetns& netns, const std::vector<std::string>& argv) {
  const RunResult result = netns.run(argv);
  ASSERT_TRUE(result.ok()) << result.describe(argv);
}

// State of ours that the proxy would have made (it cannot run without IPVS on this kernel),
// written with the tools, in the backend the firewall chose.
void add_proxy_state(const ScopedNetns& netns, const std::string& iptables) {
  must(netns, {"ipset", "create", "kube-router-svip", "hash:ip"});
  must(netns, {"ipset", "create", "kube-router-svip-prt", "hash:ip,port"});
  must(netns, {"ipset", "create", "kube-router-local-ips", "hash:ip"});
  must(netns, {iptables, "-N", "KUBE-ROUTER-SERVICES"});
  must(netns, {iptables, "-A", "KUBE-ROUTER-SERVICES", "-m", "set", "!", "--match-set",
               "kube-router-local-ips", "dst", "-j", "REJECT"});
  must(netns, {iptables, "-I", "INPUT", "1", "-m", "comment", "--comment",
               "handle traffic to IPVS service IPs in custom chain", "-m", "set", "--match-set",
               "kube-router-svip", "dst", "-j", "KUBE-ROUTER-SERVICES"});
}

class DaemonCleanupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    KR_REQUIRE_ROOT_AND_TOOLS("ip", "curl", "ipset", "iptables-legacy", "iptables-nft",
                              "iptables-legacy-save", "iptables-nft-save");
  }
};

TEST_F(DaemonCleanupTest, RemovesOursAndLeavesOtherProgramsState) {
  FirewallNode node;
  {
    // A daemon that enforced a policy (the client may reach port 81 only), then stopped: its
    // chains and sets stay behind.
    DaemonProcess daemon(node.netns(), node.dir(), node.args());
    node.api().create(R"({"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy",)"
                      R"("metadata":{"name":"client-to-81","namespace":"default"},)"
                      R"("spec":{"podSelector":{"matchLabels":{"app":"server"}},)"
                      R"("ingress":[{"from":[{"podSelector":{"matchLabels":{"app":"client"}}}],)"
                      R"("ports":[{"port":81}]}]}})");
    ASSERT_TRUE(wait_until([&] { return node.client_to_server() == "refused"; }, 60s, 200ms))
        << daemon.log();
    daemon.process().signal(SIGTERM);
    ASSERT_TRUE(daemon.process().wait_for(15s).has_value()) << daemon.log();
  }
  const std::string rules = node.saved_rules();
  ASSERT_TRUE(has_line_starting(rules, ":KUBE-POD-FW-")) << rules;
  ASSERT_TRUE(has_line_starting(node.ipset_names(), "KUBE-SRC-")) << node.ipset_names();
  // The proxy's state goes into whichever backend holds the firewall.
  const std::string backend =
      has_line_starting(node.netns().run({"iptables-legacy-save"}).out, ":KUBE-ROUTER-FORWARD")
          ? "iptables-legacy"
          : "iptables-nft";
  add_proxy_state(node.netns(), backend);
  // Another program's set and rules, one of them in INPUT between our jumps.
  must(node.netns(), {"ipset", "create", "other-program", "hash:ip"});
  must(node.netns(), {backend, "-A", "INPUT", "-m", "set", "--match-set", "other-program", "src",
                      "-j", "ACCEPT"});
  must(node.netns(), {backend, "-A", "FORWARD", "-s", "10.99.0.0/16", "-j", "DROP"});

  const RunResult cleanup = node.netns().run({kube_router_binary(), "--cleanup-config"});
  EXPECT_EQ(cleanup.status.code, 0) << cleanup.err;

  const std::string after = node.saved_rules();
  for (const char* ours : {":KUBE-ROUTER-", ":KUBE-POD-FW-", ":KUBE-NWPLCY-"}) {
    EXPECT_FALSE(has_line_starting(after, ours)) << ours << " left:\n" << after;
  }
  EXPECT_EQ(after.find("KUBE-"), std::string::npos) << after;
  const std::string sets = node.ipset_names();
  EXPECT_EQ(sets, "other-program\n");
  EXPECT_NE(after.find("-A INPUT -m set --match-set other-program src -j ACCEPT"),
            std::string::npos)
      << after;
  EXPECT_NE(after.find("-A FORWARD -s 10.99.0.0/16 -j DROP"), std::string::npos) << after;

  // The report: no IPVS here is said, not failed on; what went is listed.
  if (!node.netns().run({"genl", "ctrl", "get", "name", "IPVS"}).ok()) {
    EXPECT_NE(cleanup.err.find("the kernel has no IPVS"), std::string::npos) << cleanup.err;
  }
  EXPECT_NE(cleanup.err.find("cleanup removed"), std::string::npos) << cleanup.err;
  const std::string backend_name = backend == "iptables-legacy" ? "legacy" : "nft";
  EXPECT_NE(cleanup.err.find("chain " + backend_name + " IPv4 filter KUBE-ROUTER-SERVICES"),
            std::string::npos)
      << cleanup.err;
  EXPECT_NE(cleanup.err.find("ipset kube-router-svip"), std::string::npos) << cleanup.err;
  EXPECT_EQ(cleanup.err.find("cleanup left"), std::string::npos) << cleanup.err;

  // A second run finds nothing and says so.
  const RunResult again = node.netns().run({kube_router_binary(), "--cleanup-config"});
  EXPECT_EQ(again.status.code, 0) << again.err;
  EXPECT_NE(again.err.find("cleanup removed nothing"), std::string::npos) << again.err;
}

}  // namespace
}  // namespace kr::test
