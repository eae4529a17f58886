// Kernel settings the proxy needs (proxy.md §10.1, §8.6) and the UDP conntrack flush (§9).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "controllers/proxy/service_state.h"

namespace kr::proxy {

// Reads a sysctl ("net.ipv4.vs.conntrack"); nullopt when it does not exist.
using SysctlRead = std::function<std::optional<std::string>(std::string_view name)>;
// Writes one; throws std::system_error when that fails.
using SysctlWrite = std::function<void(std::string_view name, std::string_view value)>;

// The start-up settings: IPVS connection tracking (needed for the SNAT rules to see IPVS
// traffic), expiry of connections to removed destinations, no connection reuse, ARP replies
// only for addresses on the asking interface (VIPs live on kube-dummy-if), and rp_filter 2
// instead of 1 on `interfaces` (strict reverse-path filtering drops IPVS replies). A missing
// sysctl is logged and skipped; returns the first other failure, or "" when all went well.
std::string apply_start_sysctls(const SysctlRead& read, const SysctlWrite& write,
                                const std::vector<std::string>& interfaces);

// Deletes conntrack entries of UDP datagrams to a service (`conntrack -D --orig-dst <vip> -p
// udp --dport <port>`), so clients stop hitting a removed endpoint. Errors are logged.
void flush_udp_conntrack(const VipKey& service, const std::string& netns_path = {});

}  // namespace kr::proxy
