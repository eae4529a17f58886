// Ipvs over generic netlink (family "IPVS"), on the kr_netlink socket layer.
#pragma once

#include <memory>
#include <string>

#include "kernel/ipvs/ipvs.h"

namespace kr::ipvs {

// Opens a generic netlink socket (inside the network namespace at netns_path when given) and
// resolves the IPVS family. Throws netlink::NetlinkError when that fails, e.g.
// "resolve generic netlink family IPVS: No such file or directory" on a kernel without
// ip_vs (load it with `modprobe ip_vs`).
std::unique_ptr<Ipvs> open_kernel_ipvs(const std::string& netns_path = {});

}  // namespace kr::ipvs
