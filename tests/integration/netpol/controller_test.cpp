// The controller end to end on the namespace cluster: restarts, bad input, pods that get their
// address late, default-deny, node traffic, resyncs that find nothing to do, and its metrics.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "model_env.h"
#include "observe/metric_values.h"
#include "support/root.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace kr::netpol::testing {
namespace {

using netfilter::Family;
using netfilter::IptablesBackend;

class ControllerTest : public ::testing::TestWithParam<IptablesBackend> {
 protected:
  void SetUp() override {
    KR_REQUIRE_ROOT_AND_TOOLS("ip", "ipset", "sysctl", "iptables-legacy-restore",
                              "iptables-nft-restore", "ip6tables-legacy-restore",
                              "ip6tables-nft-restore");
  }
  static Reachability all() { return Reachability(ModelEnv::pod_keys()); }
};

// The number of "ok N" lines a `netpol_probe hold` wrote, or -1 once it reported a failure.
int echoes(const std::filesystem::path& log) {
  const std::string text = kr::test::read_file_or_empty(log);
  if (text.find("fail") != std::string::npos) return -1;
  int n = 0;
  for (size_t pos = text.find("ok "); pos != std::string::npos; pos = text.find("ok ", pos + 1)) {
    ++n;
  }
  return n;
}

TEST_P(ControllerTest, EstablishedConnectionSurvivesARestartAndNothingIsRewritten) {
  ModelEnv env(GetParam());
  env.set_policies({{.ns = "x",
                     .name = "from-b",
                     .pod_selector = match_labels({{"pod", "a"}}),
                     .ingress = {rule({pods_peer(match_labels({{"pod", "b"}}))})}}});
  kr::test::TempDir dir("hold");
  kr::test::SpawnOptions options;
  options.stdout_path = dir.file("hold.log");
  kr::test::Subprocess hold = env.cluster().pod("x/b").netns->spawn(
      {probe_binary(), "hold", env.cluster().pod("x/a").ip4, "80", "50"}, options);
  ASSERT_TRUE(kr::test::wait_until([&] { return echoes(options.stdout_path) >= 3; },
                                   std::chrono::seconds(10)))
      << kr::test::read_file_or_empty(options.stdout_path);

  env.stop_controller(0);
  const int before_restart = echoes(options.stdout_path);
  env.start_controller(0);
  EXPECT_EQ(env.controller(0).stats().kernel_writes, 0u)
      << "the restarted controller found every chain and set as it wants them";
  EXPECT_TRUE(kr::test::wait_until(
      [&] { return echoes(options.stdout_path) >= before_restart + 5; }, std::chrono::seconds(10)))
      << kr::test::read_file_or_empty(options.stdout_path);
  EXPECT_NE(echoes(options.stdout_path), -1) << kr::test::read_file_or_empty(options.stdout_path);
  EXPECT_EQ(
      env.check(all().expect_all_ingress("x/a", false).expect("x/b", "x/a", true), Proto::kTcp, 80),
      "")
      << "still enforced after the restart";
}

TEST_P(ControllerTest, AMalformedPolicyIsRejectedAloneAndFailsClosed) {
  ModelEnv env(GetParam());
  env.set_policies({{.ns = "x",
                     .name = "bad-cidr",
                     .pod_selector = match_labels({{"pod", "a"}}),
                     .ingress = {rule({block_peer("10.244.0.0/33")})}},
                    {.ns = "y",
                     .name = "bad-port-name",
                     .pod_selector = match_labels({{"pod", "a"}}),
                     .ingress = {rule({}, {named("Not_A_Port")})}},
                    {.ns = "x",
                     .name = "good",
                     .pod_selector = match_labels({{"pod", "b"}}),
                     .ingress = {rule({namespaces_peer(match_labels({{"ns", "y"}}))})}}});
  EXPECT_EQ(env.check(all()
                          .expect_all_ingress("x/a", false)
                          .expect_all_ingress("y/a", false)
                          .expect_all_ingress("x/b", false)
                          .expect_peer(in_namespace("y"), is_pod("x/b"), true),
                      Proto::kTcp, 80),
            "");
  EXPECT_EQ(env.registry(0)
                .gauge("kube_router_controller_netpol_rejected_policies",
                       "NetworkPolicies currently rejected as invalid")
                .value(),
            2);
}

TEST_P(ControllerTest, APodIsFirewalledOnceItGetsAnAddress) {
  ModelEnv env(GetParam());
  TestPod& late = env.cluster().add_pod("x/late", 0, 20);
  env.set_policies(
      {{.ns = "x", .name = "isolate-late", .pod_selector = match_labels({{"pod", "late"}})}});
  auto pending = make_pod(
      {.ns = "x", .name = "late", .ips = {}, .labels = {{"pod", "late"}}, .phase = "Pending"});
  env.source().put(pending);
  env.wait_programmed();
  const auto reach_late = [&] {
    return env.cluster().probe({"y/a"}, {"x/late"}, Proto::kTcp, 80, Family::kIPv4).at(0);
  };
  EXPECT_TRUE(reach_late().connected) << "without an address the pod is in no chain yet";

  env.source().put(make_pod(
      {.ns = "x", .name = "late", .ips = {late.ip4, late.ip6}, .labels = {{"pod", "late"}}}));
  env.wait_programmed();
  EXPECT_EQ(reach_late().outcome, "refused");
}

TEST_P(ControllerTest, TheNodeReachesItsPodsWhateverThePolicies) {
  ModelEnv env(GetParam());
  env.set_policies({{.ns = "x", .name = "deny", .types = {"Ingress", "Egress"}}});
  const std::string target = env.cluster().pod("x/a").ip4 + ":80";
  const auto from_node =
      env.cluster().node(0).run({probe_binary(), "probe", "2000", "tcp:" + target});
  EXPECT_NE(from_node.out.find(" ok "), std::string::npos) << from_node.out;
  const auto from_pod =
      env.cluster().pod("y/a").netns->run({probe_binary(), "probe", "2000", "tcp:" + target});
  EXPECT_NE(from_pod.out.find(" refused "), std::string::npos) << from_pod.out;
}

TEST_P(ControllerTest, ResyncsFindNothingToWriteAndMetricsAndHeartbeatsFlow) {
  ModelEnv env(GetParam());
  env.set_policies({{.ns = "x",
                     .name = "from-y",
                     .ingress = {rule({namespaces_peer(match_labels({{"ns", "y"}}))}, {port(80)})}},
                    {.ns = "z",
                     .name = "egress",
                     .types = {"Egress"},
                     .egress = {rule({block_peer("10.244.0.0/16")})}}});
  for (int node = 0; node < 2; ++node) {
    const auto before = env.controller(node).stats();
    const int beats = env.heartbeats(node);
    ASSERT_TRUE(env.controller(node).resync(std::chrono::seconds(20)));
    const auto after = env.controller(node).stats();
    EXPECT_EQ(after.kernel_writes, before.kernel_writes) << "node " << node;
    EXPECT_GT(after.passes, before.passes);
    EXPECT_GT(env.heartbeats(node), beats) << "a heartbeat per pass";

    observe::Registry& r = env.registry(node);
    EXPECT_GT(r.histogram("kube_router_controller_iptables_sync_time",
                          "Time it took for controller to sync iptables")
                  .snapshot()
                  .count,
              0u);
    EXPECT_GT(r.histogram("kube_router_controller_netpol_programming_latency",
                          "Seconds from the first API event a firewall sync covered to its rules "
                          "being in the kernel")
                  .snapshot()
                  .count,
              0u);
    EXPECT_GT(r.histogram("kube_router_controller_iptables_v4_save_time",
                          "Time to save v4 rules in netpol controller")
                  .snapshot()
                  .count,
              0u);
  }
  EXPECT_EQ(
      env.registry(0).gauge("kube_router_controller_policy_chains", "Active policy chains").value(),
      2)
      << "x/from-y ingress, IPv4 and IPv6";
  EXPECT_EQ(
      env.registry(1).gauge("kube_router_controller_policy_chains", "Active policy chains").value(),
      2)
      << "z/egress, IPv4 and IPv6";
}

TEST_P(ControllerTest, DefaultDenyRejectsAddressesNoPodChainClaims) {
  ModelEnv env(GetParam(), /*default_deny=*/true);
  env.cluster().add_pod("x/unknown", 0, 30);
  EXPECT_EQ(env.check(all(), Proto::kTcp, 80), "") << "programmed pods talk freely";
  const auto to_unknown =
      env.cluster().probe({"x/a", "z/a"}, {"x/unknown"}, Proto::kTcp, 80, Family::kIPv4);
  for (const ProbeResult& r : to_unknown) {
    EXPECT_EQ(r.outcome, "refused") << r.from << " reached a pod kube-router does not know";
  }
  env.source().put(
      make_pod({.ns = "x",
                .name = "unknown",
                .ips = {env.cluster().pod("x/unknown").ip4, env.cluster().pod("x/unknown").ip6}}));
  env.wait_programmed();
  for (const ProbeResult& r :
       env.cluster().probe({"x/a", "z/a"}, {"x/unknown"}, Proto::kTcp, 80, Family::kIPv4)) {
    EXPECT_TRUE(r.connected) << r.from << ": " << r.outcome;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ControllerTest,
                         ::testing::Values(IptablesBackend::kLegacy, IptablesBackend::kNft),
                         [](const auto& info) { return std::string(backend_name(info.param)); });

}  // namespace
}  // namespace kr::netpol::testing
