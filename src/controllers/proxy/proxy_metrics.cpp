#include "controllers/proxy/proxy_metrics.h"

#include <chrono>

#include "base/log.h"

namespace kr::proxy {
namespace {

struct StatMetric {
  const char* name;
  const char* help;
  observe::MetricType type;
  std::uint64_t ipvs::Stats::*field;
};

// health-metrics.md §6.3.
constexpr StatMetric kStatMetrics[] = {
    {"kube_router_service_total_connections", "Total incoming connections made",
     observe::MetricType::kCounter, &ipvs::Stats::connections},
    {"kube_router_service_packets_in", "Total incoming packets", observe::MetricType::kCounter,
     &ipvs::Stats::packets_in},
    {"kube_router_service_packets_out", "Total outgoing packets", observe::MetricType::kCounter,
     &ipvs::Stats::packets_out},
    {"kube_router_service_bytes_in", "Total incoming bytes", observe::MetricType::kCounter,
     &ipvs::Stats::bytes_in},
    {"kube_router_service_bytes_out", "Total outgoing bytes", observe::MetricType::kCounter,
     &ipvs::Stats::bytes_out},
    {"kube_router_service_pps_in", "Incoming packets per second", observe::MetricType::kGauge,
     &ipvs::Stats::pps_in},
    {"kube_router_service_pps_out", "Outgoing packets per second", observe::MetricType::kGauge,
     &ipvs::Stats::pps_out},
    {"kube_router_service_cps", "Service connections per second", observe::MetricType::kGauge,
     &ipvs::Stats::cps},
    {"kube_router_service_bps_in", "Incoming bytes per second", observe::MetricType::kGauge,
     &ipvs::Stats::bps_in},
    {"kube_router_service_bps_out", "Outgoing bytes per second", observe::MetricType::kGauge,
     &ipvs::Stats::bps_out},
};

}  // namespace

ProxyMetrics::ProxyMetrics(observe::Registry& registry, OpenIpvs open_ipvs)
    : sync_time(registry.histogram("kube_router_controller_ipvs_services_sync_time",
                                   "Time it took for controller to sync ipvs services")),
      programming_latency(registry.histogram(
          "kube_router_controller_ipvs_programming_latency",
          "Time from a Service or EndpointSlice change to its IPVS state being programmed")),
      export_time_(registry.histogram("kube_router_controller_ipvs_metrics_export_time",
                                      "Time it took to export metrics")),
      open_ipvs_(std::move(open_ipvs)),
      collector_(registry.add_collector([this] { return collect(); })) {}

void ProxyMetrics::set_owner(const VipKey& key, const ServiceId* owner) {
  const std::lock_guard lock(mutex_);
  if (owner != nullptr) {
    owners_[key] = *owner;
  } else {
    owners_.erase(key);
  }
}

void ProxyMetrics::replace_owners(std::map<VipKey, ServiceId> owners) {
  const std::lock_guard lock(mutex_);
  owners_ = std::move(owners);
}

std::vector<observe::FamilySnapshot> ProxyMetrics::collect() {
  const auto start = std::chrono::steady_clock::now();
  const std::lock_guard lock(mutex_);
  std::vector<ipvs::Service> services;
  try {
    if (!ipvs_) ipvs_ = open_ipvs_();
    services = ipvs_->list_services();
  } catch (const std::exception& e) {
    KR_ERROR("IPVS metrics: {}", e.what());
    ipvs_.reset();
    return {};  // nothing rather than a partial scrape
  }
  std::vector<observe::FamilySnapshot> families;
  for (const StatMetric& m : kStatMetrics) {
    families.push_back({m.name,
                        m.help,
                        m.type,
                        {"svc_namespace", "service_name", "service_vip", "protocol", "port"},
                        {}});
  }
  for (const ipvs::Service& s : services) {
    if (s.key.fwmark != 0) continue;
    const auto owner = owners_.find(VipKey{s.key.address, s.key.protocol, s.key.port});
    if (owner == owners_.end()) continue;
    std::vector<std::string> labels = {owner->second.namespace_, owner->second.name,
                                       s.key.address.to_string(), ipvs::to_string(s.key.protocol),
                                       std::to_string(s.key.port)};
    for (std::size_t i = 0; i < std::size(kStatMetrics); ++i) {
      families[i].samples.push_back(
          {labels, static_cast<double>(s.stats.*(kStatMetrics[i].field)), {}});
    }
  }
  families.push_back({"kube_router_controller_ipvs_services",
                      "Number of ipvs services in the instance",
                      observe::MetricType::kGauge,
                      {},
                      {{{}, static_cast<double>(services.size()), {}}}});
  export_time_.observe(std::chrono::steady_clock::now() - start);
  return families;
}

}  // namespace kr::proxy
