// bench_netpol: the firewall at the scale (1,000 pods, 100 on this node, 500
// policies), in a network namespace of its own (root needed; the host is never touched).
//
// Measures, per iptables backend:
//   - full sync: a fresh controller programming an empty kernel (and a full resync that finds
//     nothing to change);
//   - one local pod added and one policy changed: API event to kernel programmed;
//   - the limits: the same ruleset loaded by one bare `ipset restore` and one
//     `iptables-restore` per family, with no controller around them; and each single change
//     (the documents the controller writes for it) restored by the bare tools the same way;
// and prints the ratios against the targets (full sync < 250 ms, one change < 20 ms, full sync
// within 1.5x of the bare restore) and of each change to its bare restore.
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "bare_tools.h"
#include "base/log.h"
#include "controllers/netpol/network_policy_controller.h"
#include "controllers/netpol/ruleset_builder.h"
#include "options/kube_router_config.h"
#include "scenario.h"

namespace kr::netpol::bench {
namespace {

using Clock = std::chrono::steady_clock;
using netfilter::IptablesBackend;

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

double worst(const std::vector<double>& v) {
  return v.empty() ? 0 : *std::max_element(v.begin(), v.end());
}

options::Config bench_config() {
  options::Config config;
  config.enable_ipv6 = true;
  config.service_cluster_ip_range = {"10.96.0.0/12", "fd00:96::/112"};
  return config;
}

struct Controller {
  Controller(const ClusterState& state, IptablesBackend backend, const std::string& netns) {
    for (const auto& n : state.namespaces) source->put(n);
    for (const auto& p : state.pods) source->put(p);
    for (const auto& p : state.policies) source->put(p);
    NetworkPolicyController::Parts parts;
    parts.source = std::make_unique<Forward>(source);
    parts.iptables = netfilter::make_iptables(backend, netns);
    parts.ipset = netfilter::make_ipset(netns);
    controller = std::make_unique<NetworkPolicyController>(bench_config(), bench_node(), nullptr,
                                                           std::move(parts));
  }

  struct Forward final : ClusterSource {
    explicit Forward(std::shared_ptr<MemoryClusterSource> s) : s_(std::move(s)) {}
    ClusterState snapshot() const override { return s_->snapshot(); }
    void subscribe(ChangeHandlers h) override { s_->subscribe(std::move(h)); }
    std::shared_ptr<MemoryClusterSource> s_;
  };

  void programmed() {
    if (!controller->wait_until_programmed(std::chrono::seconds(60))) {
      throw std::runtime_error("the controller did not program the change");
    }
  }

  std::shared_ptr<MemoryClusterSource> source = std::make_shared<MemoryClusterSource>();
  std::unique_ptr<NetworkPolicyController> controller;
};

struct Results {
  std::vector<double> full_sync, quiet_resync, pod_add, policy_change, bare;
  std::vector<double> bare_pod_add, bare_policy_change;
};

FirewallSettings bench_settings() { return settings_from_config(bench_config()).settings; }

void run(IptablesBackend backend, const ClusterState& state, int rounds, Results& r) {
  const char* dump = std::getenv("KR_BENCH_DUMP");
  {
    // The single changes the controller is timed on below, made by the bare tools: built with
    // one cache, as the controller builds them.
    BuildCache cache;
    const DesiredState before = build_desired_state(state, bench_node(), bench_settings(), &cache);
    ClusterState with_pod = state;
    with_pod.pods.push_back(extra_local_pod(1000));
    const DesiredState pod_added =
        build_desired_state(with_pod, bench_node(), bench_settings(), &cache);
    build_desired_state(state, bench_node(), bench_settings(), &cache);
    ClusterState with_policy = state;
    with_policy.policies.at(0) = changed_policy(state, 0, 1);
    const DesiredState policy_changed =
        build_desired_state(with_policy, bench_node(), bench_settings(), &cache);
    r.bare_pod_add = time_bare_change(backend, before, pod_added, 5 * rounds);
    r.bare_policy_change = time_bare_change(backend, before, policy_changed, 5 * rounds);
  }
  for (int round = 0; round < rounds; ++round) {
    r.bare.push_back(time_bare_load(backend,
                                    build_desired_state(state, bench_node(), bench_settings()),
                                    dump && round == 0 ? dump : ""));
    Namespace ns;
    Controller c(state, backend, ns.path());
    const auto t0 = Clock::now();
    c.controller->start();
    c.programmed();
    r.full_sync.push_back(ms(Clock::now() - t0));

    const auto t1 = Clock::now();
    if (!c.controller->resync(std::chrono::seconds(60))) throw std::runtime_error("resync failed");
    r.quiet_resync.push_back(ms(Clock::now() - t1));

    // Single changes: each well after the previous one's pass has ended. On nf_tables a pass
    // goes on after "programmed" to delete the rules it made unreachable (one RCU grace period
    // or more); a change arriving meanwhile waits for that.
    const auto settle = [] { std::this_thread::sleep_for(std::chrono::milliseconds(150)); };
    for (int i = 0; i < 5; ++i) {
      settle();
      const auto t = Clock::now();
      c.source->put(extra_local_pod(round * 5 + i));
      c.programmed();
      r.pod_add.push_back(ms(Clock::now() - t));
    }
    // Policies with pods on this node and a numbered port to change (scenario.cpp): of each
    // shape that has one, so every change reaches the kernel.
    constexpr std::array<int, 5> kChangedPolicies = {0, 2, 3, 10, 12};
    for (const int index : kChangedPolicies) {
      settle();
      const auto t = Clock::now();
      c.source->put(changed_policy(state, index, 1 + round));
      c.programmed();
      r.policy_change.push_back(ms(Clock::now() - t));
    }
    c.controller->stop();
  }
}

void report(IptablesBackend backend, const Results& r) {
  const double full = median(r.full_sync), bare = median(r.bare);
  std::printf("\n== iptables %s backend ==\n", std::string(backend_name(backend)).c_str());
  std::printf("%-44s %9s %9s\n", "", "median", "worst");
  const auto row = [](const char* what, const std::vector<double>& v) {
    std::printf("%-44s %7.1fms %7.1fms\n", what, median(v), worst(v));
  };
  row("bare ipset restore + iptables-restore x2", r.bare);
  row("full sync (empty kernel -> programmed)", r.full_sync);
  row("full resync, nothing changed", r.quiet_resync);
  row("one local pod added (event -> kernel)", r.pod_add);
  row("  the same change by the bare tools", r.bare_pod_add);
  row("one policy changed (event -> kernel)", r.policy_change);
  row("  the same change by the bare tools", r.bare_policy_change);
  std::printf("full sync / bare restore: %.2fx (target <= 1.5x: %s)\n", full / bare,
              full <= 1.5 * bare ? "met" : "MISSED");
  std::printf("full sync %.1f ms (target < 250 ms: %s)\n", full, full < 250 ? "met" : "MISSED");
  std::printf("pod add %.1f ms, policy change %.1f ms (target < 20 ms: %s)\n", median(r.pod_add),
              median(r.policy_change),
              median(r.pod_add) < 20 && median(r.policy_change) < 20 ? "met" : "MISSED");
  std::printf("pod add / bare tools: %.2fx, policy change / bare tools: %.2fx\n",
              median(r.pod_add) / median(r.bare_pod_add),
              median(r.policy_change) / median(r.bare_policy_change));
}

}  // namespace
}  // namespace kr::netpol::bench

int main(int argc, char** argv) {
  using namespace kr::netpol::bench;
  if (geteuid() != 0) {
    std::fprintf(stderr, "bench_netpol needs root (it works in network namespaces of its own)\n");
    return 1;
  }
  if (const char* v = std::getenv("KR_BENCH_V")) {
    kr::log::set_verbosity(std::atoi(v));  // the controller's per-pass timings at 1
  }
  const kr::netpol::ClusterState state = make_scenario({});
  if (argc > 1 && std::string(argv[1]) == "build") {
    // Only the desired-state builder, as an incremental pass runs it (the cache of the earlier
    // passes, a different extra local pod each time), repeatedly: for profiling it.
    kr::netpol::BuildCache cache;
    kr::netpol::ClusterState changed = state;
    changed.pods.push_back(nullptr);
    const auto settings = kr::netpol::settings_from_config(bench_config()).settings;
    kr::netpol::build_desired_state(state, bench_node(), settings, &cache);
    const auto t0 = Clock::now();
    constexpr int kPasses = 200;
    for (int i = 0; i < kPasses; ++i) {
      changed.pods.back() = extra_local_pod(i);
      kr::netpol::build_desired_state(changed, bench_node(), settings, &cache);
    }
    std::printf("incremental build: %.2f ms per pass\n", ms(Clock::now() - t0) / kPasses);
    return 0;
  }
  const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
  {
    const auto t0 = Clock::now();
    const auto d = kr::netpol::build_desired_state(state, bench_node(), [] {
      auto s = kr::netpol::settings_from_config(bench_config());
      return s.settings;
    }());
    size_t rules = 0;
    for (const auto& f : d.families) {
      if (f)
        for (const auto& [name, chain] : f->filter.chains) rules += chain.size();
    }
    std::printf(
        "scenario: %zu pods, %zu policies; desired state: %zu rules, %zu policy chains, "
        "%zu ipsets; built in %.1f ms\n",
        state.pods.size(), state.policies.size(), rules, d.policy_chains, d.policy_ipsets,
        ms(Clock::now() - t0));
  }
  try {
    for (const auto backend : {IptablesBackend::kNft, IptablesBackend::kLegacy}) {
      Results r;
      run(backend, state, rounds, r);
      report(backend, r);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_netpol: %s\n", e.what());
    return 1;
  }
  return 0;
}
