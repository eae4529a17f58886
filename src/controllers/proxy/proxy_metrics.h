// The proxy's Prometheus metrics (proxy.md §13, health-metrics.md §6.3), registered only when
// metrics are enabled: per-service IPVS counters and rates read from the kernel at scrape time,
// the number of IPVS services, the sync and scrape durations, and what upstream lacks: a
// programming-latency histogram (API event seen -> kernel programmed).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "controllers/proxy/service_state.h"
#include "kernel/ipvs/ipvs.h"
#include "observe/registry.h"

namespace kr::proxy {

class ProxyMetrics {
 public:
  using OpenIpvs = std::function<std::unique_ptr<ipvs::Ipvs>()>;

  // Scrapes use their own IPVS handle from `open_ipvs` (a netlink socket is not shared with
  // the controller's worker thread).
  ProxyMetrics(observe::Registry& registry, OpenIpvs open_ipvs);

  observe::Histogram& sync_time;            // kube_router_controller_ipvs_services_sync_time
  observe::Histogram& programming_latency;  // kube_router_controller_ipvs_programming_latency

  // Which Service a virtual service's samples are labelled with; nullptr forgets the key.
  void set_owner(const VipKey& key, const ServiceId* owner);
  void replace_owners(std::map<VipKey, ServiceId> owners);

  // The samples of one scrape (also what the registered collector returns).
  std::vector<observe::FamilySnapshot> collect();

 private:
  observe::Histogram& export_time_;  // kube_router_controller_ipvs_metrics_export_time
  OpenIpvs open_ipvs_;
  std::mutex mutex_;  // guards everything below
  std::unique_ptr<ipvs::Ipvs> ipvs_;
  std::map<VipKey, ServiceId> owners_;
  observe::CollectorHandle collector_;  // last: unregistered before the rest goes
};

}  // namespace kr::proxy
