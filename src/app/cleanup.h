// --cleanup-config (cleanup.md): removes what kube-router put in the kernel, in upstream's order
// (network policy, service proxy, routing), without contacting the API server, and reports what
// it removed and what stayed.
#pragma once

#include <string>

namespace kr::options {
struct Config;
}

namespace kr::app {

// Returns the exit status: 0 when every part cleaned up, 1 when a part failed (each failure is
// logged with its reason; what stayed is listed). `netns_path` as for netfilter::make_iptables.
int run_cleanup(const options::Config& config, const std::string& netns_path = {});

}  // namespace kr::app
