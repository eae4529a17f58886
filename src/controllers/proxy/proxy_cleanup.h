// --cleanup-config for the service proxy.
#pragma once

#include <string>

namespace kr::proxy {

// --cleanup-config for the proxy (cleanup.md §5): every IPVS service (kube-router assumes it
// owns IPVS), the proxy's iptables rules and chains in both backends and families, its ipsets,
// and kube-dummy-if. Returns false when a step failed (each failure is logged).
bool cleanup_service_proxy(const std::string& netns_path = {});

}  // namespace kr::proxy
