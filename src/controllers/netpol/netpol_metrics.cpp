#include "controllers/netpol/netpol_metrics.h"

#include "observe/registry.h"

namespace kr::netpol {

NetpolMetrics::NetpolMetrics(observe::Registry& r)
    : sync_time(r.histogram("kube_router_controller_iptables_sync_time",
                            "Time it took for controller to sync iptables")),
      save_time{&r.histogram("kube_router_controller_iptables_v4_save_time",
                             "Time to save v4 rules in netpol controller"),
                &r.histogram("kube_router_controller_iptables_v6_save_time",
                             "Time to save v6 rules in netpol controller")},
      restore_time{&r.histogram("kube_router_controller_iptables_v4_restore_time",
                                "Time to restore v4 rules in netpol controller"),
                   &r.histogram("kube_router_controller_iptables_v6_restore_time",
                                "Time to restore v6 rules in netpol controller")},
      policy_chains_sync_time(r.histogram("kube_router_controller_policy_chains_sync_time",
                                          "Time it took for controller to sync policy chains")),
      ipset_restore_time{&r.histogram("kube_router_controller_policy_ipset_v4_restore_time",
                                      "Time it took for controller to restore v4 ipsets"),
                         &r.histogram("kube_router_controller_policy_ipset_v6_restore_time",
                                      "Time it took for controller to restore v6 ipsets")},
      policy_chains(r.gauge("kube_router_controller_policy_chains", "Active policy chains")),
      policy_ipsets(r.gauge("kube_router_controller_policy_ipsets", "Active policy ipsets")),
      programming_latency(r.histogram(
          "kube_router_controller_netpol_programming_latency",
          "Seconds from the first API event a firewall sync covered to its rules being in the "
          "kernel")),
      rejected_policies(r.gauge("kube_router_controller_netpol_rejected_policies",
                                "NetworkPolicies currently rejected as invalid")) {}

ScopedTimer::~ScopedTimer() {
  if (histogram_) {
    histogram_->observe(std::chrono::steady_clock::now() - start_);
  }
}

}  // namespace kr::netpol
