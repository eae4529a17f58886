// Which externalIPs and LoadBalancer ingress IPs of a Service the proxy may program
// (proxy.md §1.5, --strict-external-ip-validation): with strict validation an address must lie
// in a configured range of its kind (none configured denies all) and outside every cluster-IP
// range, so a tenant cannot capture another service's VIP or an arbitrary address by writing
// it into spec.externalIPs.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "controllers/proxy/cidr.h"

namespace kr::proxy {

struct ServiceIpRanges {
  bool strict = true;                   // --strict-external-ip-validation
  std::vector<Cidr> cluster_ip{};       // --service-cluster-ip-range
  std::vector<Cidr> external_ip{};      // --service-external-ip-range
  std::vector<Cidr> loadbalancer_ip{};  // --loadbalancer-ip-range
};

struct ValidatedIps {
  std::vector<IpAddress> accepted;    // in input order, without duplicates
  std::vector<std::string> rejected;  // one reason per rejected address, naming it
};

class ServiceIpValidator {
 public:
  ServiceIpValidator() = default;
  explicit ServiceIpValidator(ServiceIpRanges ranges) : ranges_(std::move(ranges)) {}

  // spec.externalIPs.
  ValidatedIps external_ips(std::span<const std::string> texts) const;
  // status.loadBalancer.ingress[].ip values (already without hostname-only and Proxy entries).
  ValidatedIps loadbalancer_ips(std::span<const std::string> texts) const;

  const ServiceIpRanges& ranges() const { return ranges_; }

 private:
  ValidatedIps validate(std::span<const std::string> texts, std::span<const Cidr> allowed,
                        std::string_view kind, std::string_view flag) const;

  ServiceIpRanges ranges_;
};

}  // namespace kr::proxy
