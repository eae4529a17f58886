// The host's interface addresses, read over rtnetlink: what --nodeport-bindon-all-ip binds
// NodePorts to and what kube-router-local-ips holds (proxy.md §4.3, §5.1), and the name of the
// interface carrying the node IP (rp_filter fix-up, §3.2).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "controllers/proxy/node_facts.h"

namespace kr::proxy {

// Every address of every interface, with the interface's name. Throws netlink::NetlinkError.
std::vector<InterfaceAddress> list_interface_addresses(const std::string& netns_path = {});

// The interface holding `address`, if any.
std::optional<std::string> interface_with(const std::vector<InterfaceAddress>& addresses,
                                          const IpAddress& address);

}  // namespace kr::proxy
