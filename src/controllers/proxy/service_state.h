// The pure desired-state builder for one Service (proxy.md §4-§6, §11): its IPVS virtual
// services with their destinations, the VIPs it puts on kube-dummy-if, its hairpin SNAT rules
// and its NodePort health check. One Service's state depends only on that Service, its
// EndpointSlices, the node facts and the flags, so an event recomputes just that Service.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "controllers/proxy/cidr.h"
#include "controllers/proxy/endpoint_record.h"
#include "controllers/proxy/node_facts.h"
#include "controllers/proxy/proxy_settings.h"
#include "controllers/proxy/service_record.h"
#include "kernel/ipvs/types.h"

namespace kr::proxy {

// An address-based IPVS virtual service: what `ipvsadm -Ln` shows as "TCP 10.96.0.10:53".
struct VipKey {
  IpAddress address;
  ipvs::Protocol protocol = ipvs::Protocol::kTcp;
  std::uint16_t port = 0;

  std::string to_string() const;  // "10.96.0.10:53/udp", "[fd00::a]:443/tcp"
  friend bool operator==(const VipKey&, const VipKey&) = default;
  // clang-tidy 14 misreads the generated body of a defaulted <=> (llvm-project#53961).
  // NOLINTNEXTLINE(modernize-use-nullptr)
  friend auto operator<=>(const VipKey&, const VipKey&) = default;
};

// A real server: NAT forwarding, weight 1 (§4.1).
struct DesiredDestination {
  IpAddress address;
  std::uint16_t port = 0;
  friend bool operator==(const DesiredDestination&, const DesiredDestination&) = default;
  // clang-tidy 14 misreads the generated body of a defaulted <=> (llvm-project#53961).
  // NOLINTNEXTLINE(modernize-use-nullptr)
  friend auto operator<=>(const DesiredDestination&, const DesiredDestination&) = default;
};

struct DesiredVirtualService {
  VipKey key;
  std::string scheduler = "rr";
  std::uint32_t flags = 0;                       // persistence | scheduler flags
  std::uint32_t timeout = 0;                     // persistence timeout, seconds
  std::vector<DesiredDestination> destinations;  // sorted, unique, of the VIP's family

  friend bool operator==(const DesiredVirtualService&, const DesiredVirtualService&) = default;
};

struct HairpinRule {
  Family family = Family::kIPv4;
  std::string rule;  // rule_text.h hairpin_rule()
  friend bool operator==(const HairpinRule&, const HairpinRule&) = default;
  // clang-tidy 14 misreads the generated body of a defaulted <=> (llvm-project#53961).
  // NOLINTNEXTLINE(modernize-use-nullptr)
  friend auto operator<=>(const HairpinRule&, const HairpinRule&) = default;
};

// §11: spec.healthCheckNodePort answers 200 while this node has local endpoints.
struct HealthCheck {
  std::uint16_t port = 0;
  std::uint32_t local_endpoints = 0;  // local, not terminating (distinct addresses)
  friend bool operator==(const HealthCheck&, const HealthCheck&) = default;
};

struct ServiceState {
  std::vector<DesiredVirtualService> virtual_services;  // sorted by key, unique keys
  std::vector<IpAddress> vips;                          // for kube-dummy-if; sorted, unique
  std::vector<HairpinRule> hairpin_rules;               // sorted, unique
  std::optional<HealthCheck> health_check;
  bool sloppy_tcp = false;  // service.dsr (any value) with scheduler mh (§8.6)
  // Parts that could not be programmed, e.g. DSR external IPs (not supported yet).
  std::vector<std::string> problems;

  bool empty() const {
    return virtual_services.empty() && vips.empty() && hairpin_rules.empty() && !health_check &&
           !sloppy_tcp;
  }
};

ServiceState build_service_state(const ServiceRecord& service, const EndpointsByPort& endpoints,
                                 const NodeFacts& node, const ProxySettings& settings);

}  // namespace kr::proxy
