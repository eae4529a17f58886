#include "controllers/proxy/service_ip_validator.h"

#include <algorithm>

#include "fmt/format.h"

namespace kr::proxy {

ValidatedIps ServiceIpValidator::external_ips(std::span<const std::string> texts) const {
  return validate(texts, ranges_.external_ip, "external IP", "service-external-ip-range");
}

ValidatedIps ServiceIpValidator::loadbalancer_ips(std::span<const std::string> texts) const {
  return validate(texts, ranges_.loadbalancer_ip, "load balancer IP", "loadbalancer-ip-range");
}

ValidatedIps ServiceIpValidator::validate(std::span<const std::string> texts,
                                          std::span<const Cidr> allowed, std::string_view kind,
                                          std::string_view flag) const {
  ValidatedIps out;
  for (const std::string& text : texts) {
    const auto address = IpAddress::parse(text);
    // Even without strict validation an address that does not parse cannot be programmed.
    if (!address) {
      out.rejected.push_back(fmt::format("{} \"{}\" is not an IP address", kind, text));
      continue;
    }
    if (ranges_.strict) {
      if (any_contains(ranges_.cluster_ip, *address)) {
        out.rejected.push_back(
            fmt::format("{} {} is inside --service-cluster-ip-range", kind, address->to_string()));
        continue;
      }
      if (!any_contains(allowed, *address)) {
        out.rejected.push_back(
            allowed.empty()
                ? fmt::format("{} {} rejected: --{} is empty and strict validation is on", kind,
                              address->to_string(), flag)
                : fmt::format("{} {} is outside --{}", kind, address->to_string(), flag));
        continue;
      }
    }
    if (std::find(out.accepted.begin(), out.accepted.end(), *address) == out.accepted.end()) {
      out.accepted.push_back(*address);
    }
  }
  return out;
}

}  // namespace kr::proxy
