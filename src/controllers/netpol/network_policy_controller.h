// The NetworkPolicy firewall (--run-firewall): API changes mark the controller dirty; its
// worker rebuilds the desired state from the caches and the applier writes whatever differs
// (design.md §2). Every --iptables-sync-period a full pass re-reads the kernel and repairs
// drift. Each pass sends the NetworkPolicyController heartbeat first (upstream sends it at the
// start of every sync, so a hung sync turns /healthz red).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "controllers/common/reconcile_loop.h"
#include "controllers/netpol/cluster_source.h"
#include "controllers/netpol/firewall_inputs.h"
#include "kernel/netfilter/ipset.h"
#include "kernel/netfilter/iptables.h"

namespace kr::options {
struct Config;
}
namespace kr::observe {
class Registry;
class HealthController;
}  // namespace kr::observe
namespace kr::netpol {

class Applier;
class BuildCache;
struct NetpolMetrics;

class NetworkPolicyController {
 public:
  // What the controller runs against; the daemon constructor fills it with the real thing.
  struct Parts {
    std::unique_ptr<ClusterSource> source;
    std::unique_ptr<netfilter::Iptables> iptables;
    std::unique_ptr<netfilter::Ipset> ipset;
    std::function<void()> heartbeat;  // may be empty
  };

  // The daemon's controller: informers, the iptables backend detected as upstream's image does,
  // the real tools. `registry` is null when metrics are off. Throws std::invalid_argument with
  // a message naming the flag when the flags do not parse.
  NetworkPolicyController(const options::Config& config, FirewallInformers informers,
                          std::string node_name, NodeFacts node, observe::Registry* registry,
                          observe::HealthController& health);
  // Tests, benchmarks, tools: explicit parts. `node.name` identifies local pods.
  NetworkPolicyController(const options::Config& config, NodeFacts node,
                          observe::Registry* registry, Parts parts);
  ~NetworkPolicyController();
  NetworkPolicyController(const NetworkPolicyController&) = delete;
  NetworkPolicyController& operator=(const NetworkPolicyController&) = delete;

  // Subscribes to the source and starts the worker; the first pass is a full one.
  void start();
  // Finishes the current pass and stops. The rules stay in the kernel (they keep enforcing
  // while kube-router restarts).
  void stop();

  // Blocks until every change reported before the call is in the kernel; false on timeout.
  bool wait_until_programmed(std::chrono::milliseconds timeout);
  // Asks for a full pass (re-read the kernel) and waits for it; false on timeout or failure.
  bool resync(std::chrono::milliseconds timeout);

  // Counters for tests and benchmarks.
  struct Stats {
    uint64_t passes = 0;
    uint64_t failed_passes = 0;
    uint64_t kernel_writes = 0;  // passes that wrote anything
  };
  Stats stats() const;

 private:
  bool reconcile(const controllers::ReconcileLoop::Pass& pass);
  void on_change();
  void report_problems(const std::vector<Problem>& problems);

  NodeFacts node_;
  FirewallSettings settings_;
  std::chrono::nanoseconds sync_period_;
  Parts parts_;
  std::unique_ptr<NetpolMetrics> metrics_;
  std::unique_ptr<Applier> applier_;
  std::unique_ptr<BuildCache> build_cache_;  // worker thread only
  std::unique_ptr<controllers::ReconcileLoop> loop_;

  std::atomic<uint64_t> changes_{0};  // bumped by every relevant change
  mutable std::mutex mutex_;
  std::condition_variable programmed_cv_;
  uint64_t programmed_ = 0;  // changes_ value the last successful pass covered
  uint64_t full_passes_started_ = 0;
  uint64_t last_full_pass_ok_ = 0;  // start-order number of the latest successful full pass
  Stats stats_;
  std::set<Problem> reported_;  // worker thread only
  bool subscribed_ = false;
};

}  // namespace kr::netpol
