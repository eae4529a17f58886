// Names of the kernel objects the proxy owns (proxy.md §10.2). They are part of the contract
// with upstream kube-router: either implementation's --cleanup-config removes the other's.
#pragma once

#include <string>
#include <string_view>

#include "controllers/proxy/cidr.h"

namespace kr::proxy {

inline constexpr std::string_view kDummyInterface = "kube-dummy-if";
inline constexpr std::string_view kServicesChain = "KUBE-ROUTER-SERVICES";  // filter
inline constexpr std::string_view kHairpinChain = "KUBE-ROUTER-HAIRPIN";    // nat

inline constexpr std::string_view kLocalIpsSet = "kube-router-local-ips";     // hash:ip
inline constexpr std::string_view kServiceIpsSet = "kube-router-svip";        // hash:ip
inline constexpr std::string_view kServicePortsSet = "kube-router-svip-prt";  // hash:ip,port

// IPv6 sets carry the "inet6:" prefix (upstream utils/ipset.go).
inline std::string set_name(std::string_view base, Family family) {
  return family == Family::kIPv6 ? "inet6:" + std::string(base) : std::string(base);
}

}  // namespace kr::proxy
