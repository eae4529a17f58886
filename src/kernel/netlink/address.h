// Interface addresses over rtnetlink (RTM_*ADDR), IPv4 and IPv6: list, add
// (e.g. a service VIP /32 scope link on kube-dummy-if), delete.
#pragma once

#include <cstdint>
#include <vector>

#include "kernel/netlink/ip.h"
#include "kernel/netlink/scope.h"
#include "kernel/netlink/socket.h"

namespace kr::netlink {

struct Address {
  int index = 0;    // interface index
  IpPrefix prefix;  // the address and its prefix length, e.g. 10.96.0.10/32
  Scope scope = Scope::kUniverse;

  friend bool operator==(const Address&, const Address&) = default;
};

class Addresses {
 public:
  explicit Addresses(Socket& route_socket) : socket_(route_socket) {}

  // family: AF_INET, AF_INET6 or 0 for both; index: only that interface, 0 for all.
  std::vector<Address> list(int family = 0, int index = 0);
  // Fails with NetlinkError EEXIST when the interface already has the address.
  void add(const Address& address);
  // Fails with NetlinkError EADDRNOTAVAIL when the interface does not have it.
  void remove(const Address& address);

 private:
  Socket& socket_;
};

std::optional<Address> parse_address(const nlmsghdr* message);

}  // namespace kr::netlink
