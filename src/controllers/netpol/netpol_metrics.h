// The firewall's Prometheus metrics (netpol.md §13, health-metrics.md §6.2), registered only
// when metrics are enabled, plus what upstream lacks: a programming-latency histogram (API event
// seen -> kernel programmed) and a gauge of rejected policies.
#pragma once

#include <array>
#include <chrono>

#include "kernel/netfilter/family.h"

namespace kr::observe {
class Registry;
class Histogram;
class Gauge;
}  // namespace kr::observe

namespace kr::netpol {

struct NetpolMetrics {
  explicit NetpolMetrics(observe::Registry& registry);

  observe::Histogram& sync_time;                    // kube_router_controller_iptables_sync_time
  std::array<observe::Histogram*, 2> save_time;     // ..._iptables_v4_save_time / v6
  std::array<observe::Histogram*, 2> restore_time;  // ..._iptables_v4_restore_time / v6
  observe::Histogram& policy_chains_sync_time;      // ..._policy_chains_sync_time
  std::array<observe::Histogram*, 2> ipset_restore_time;  // ..._policy_ipset_v4_restore_time
  observe::Gauge& policy_chains;                          // ..._policy_chains
  observe::Gauge& policy_ipsets;                          // ..._policy_ipsets
  observe::Histogram& programming_latency;                // ..._netpol_programming_latency (new)
  observe::Gauge& rejected_policies;                      // ..._netpol_rejected_policies (new)
};

// Observes the seconds a scope took into a histogram (no-op for nullptr).
class ScopedTimer {
 public:
  explicit ScopedTimer(observe::Histogram* histogram)
      : histogram_(histogram), start_(std::chrono::steady_clock::now()) {}
  ~ScopedTimer();
  ScopedTimer(const ScopedTimer&) = delete;
  ScopedTimer& operator=(const ScopedTimer&) = delete;

 private:
  observe::Histogram* histogram_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace kr::netpol
