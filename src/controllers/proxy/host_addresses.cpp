#include "controllers/proxy/host_addresses.h"

#include <linux/netlink.h>

#include <map>

#include "kernel/netlink/address.h"
#include "kernel/netlink/link.h"
#include "kernel/netlink/socket.h"

namespace kr::proxy {

std::vector<InterfaceAddress> list_interface_addresses(const std::string& netns_path) {
  netlink::Socket socket(NETLINK_ROUTE, netns_path);
  std::map<int, std::string> names;
  for (const netlink::Link& link : netlink::Links(socket).list()) {
    names[link.index] = link.name;
  }
  std::vector<InterfaceAddress> out;
  for (const netlink::Address& a : netlink::Addresses(socket).list()) {
    const auto name = names.find(a.index);
    out.push_back({name != names.end() ? name->second : std::string(), a.prefix.address});
  }
  return out;
}

std::optional<std::string> interface_with(const std::vector<InterfaceAddress>& addresses,
                                          const IpAddress& address) {
  for (const InterfaceAddress& a : addresses) {
    if (a.address == address) return a.interface;
  }
  return std::nullopt;
}

}  // namespace kr::proxy
