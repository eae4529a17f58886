#include "controllers/netpol/firewall_inputs.h"

#include <fmt/format.h>

#include "options/kube_router_config.h"
#include "options/validate.h"

namespace kr::netpol {
namespace {

std::optional<std::string> parse_ranges(const std::vector<std::string>& values,
                                        std::string_view flag, std::vector<Cidr>& out) {
  for (const std::string& v : values) {
    const auto cidr = parse_cidr(v);
    if (!cidr) {
      return fmt::format("failed to parse --{} parameter: '{}': invalid CIDR address: {}", flag, v,
                         v);
    }
    out.push_back(*cidr);
  }
  return std::nullopt;
}

}  // namespace

SettingsResult settings_from_config(const options::Config& config) {
  SettingsResult r;
  r.settings.ipv4 = config.enable_ipv4;
  r.settings.ipv6 = config.enable_ipv6;
  r.settings.default_deny = config.netpol_default_deny;
  if ((r.error = parse_ranges(config.service_cluster_ip_range, "service-cluster-ip-range",
                              r.settings.cluster_ip_ranges)) ||
      (r.error = parse_ranges(config.service_external_ip_range, "service-external-ip-range",
                              r.settings.external_ip_ranges)) ||
      (r.error = parse_ranges(config.loadbalancer_ip_range, "loadbalancer-ip-range",
                              r.settings.loadbalancer_ip_ranges))) {
    return r;
  }
  const options::NodePortRangeParse ports =
      options::parse_service_node_port_range(config.service_node_port_range);
  if (!ports.ok()) {
    r.error = "invalid --service-node-port-range: " + ports.error;
    return r;
  }
  r.settings.node_port_first = ports.range.first;
  r.settings.node_port_last = ports.range.last;
  return r;
}

}  // namespace kr::netpol
