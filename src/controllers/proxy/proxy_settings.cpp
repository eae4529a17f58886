#include "controllers/proxy/proxy_settings.h"

#include <limits>

#include "options/kube_router_config.h"

namespace kr::proxy {
namespace {

// Go's int(d.Seconds()): whole seconds, truncated; clamped to what IPVS stores (u32).
std::uint32_t whole_seconds(std::chrono::nanoseconds d) {
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  if (s <= 0) {
    return 0;
  }
  return s > std::numeric_limits<std::uint32_t>::max() ? std::numeric_limits<std::uint32_t>::max()
                                                       : static_cast<std::uint32_t>(s);
}

}  // namespace

ProxySettingsResult settings_from_config(const options::Config& config) {
  ProxySettingsResult r;
  ProxySettings& s = r.settings;
  s.hairpin_mode = config.hairpin_mode;
  s.masquerade_all = config.masquerade_all;
  s.nodeport_bindon_all_ip = config.nodeport_bindon_all_ip;
  s.ipvs_permit_all = config.ipvs_permit_all;
  s.run_router = config.run_router;
  s.graceful_termination = config.ipvs_graceful_termination;
  s.graceful_period = std::chrono::duration_cast<std::chrono::seconds>(config.ipvs_graceful_period);
  s.timeouts = {.tcp = whole_seconds(config.service_tcp_timeout),
                .tcp_fin = whole_seconds(config.service_tcpfin_timeout),
                .udp = whole_seconds(config.service_udp_timeout)};

  std::string error;
  ServiceIpRanges ranges;
  ranges.strict = config.strict_external_ip_validation;
  auto excluded = parse_cidr_list(config.excluded_cidrs, "excluded-cidrs", &error);
  auto cluster = excluded ? parse_cidr_list(config.service_cluster_ip_range,
                                            "service-cluster-ip-range", &error)
                          : std::nullopt;
  auto external = cluster ? parse_cidr_list(config.service_external_ip_range,
                                            "service-external-ip-range", &error)
                          : std::nullopt;
  auto lb = external
                ? parse_cidr_list(config.loadbalancer_ip_range, "loadbalancer-ip-range", &error)
                : std::nullopt;
  if (!lb) {
    r.error = error;
    return r;
  }
  s.excluded_cidrs = std::move(*excluded);
  ranges.cluster_ip = std::move(*cluster);
  ranges.external_ip = std::move(*external);
  ranges.loadbalancer_ip = std::move(*lb);
  s.validator = ServiceIpValidator(std::move(ranges));
  return r;
}

}  // namespace kr::proxy
