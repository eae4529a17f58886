// Policy routing rules over rtnetlink (RTM_*RULE), i.e. `ip rule`:
// kube-router's "from <podCIDR> lookup 77" (routing.md §9.3), "fwmark <m>
// lookup 78 priority 32764" and "from all lookup 79 priority 32765" (proxy.md §8).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "kernel/netlink/ip.h"
#include "kernel/netlink/socket.h"

namespace kr::netlink {

struct Rule {
  int family = 0;  // AF_INET or AF_INET6; must agree with source/destination when given
  std::optional<std::uint32_t> priority;  // nullopt on add: the kernel picks one
  std::uint32_t table = 0;                // "lookup TABLE"
  std::uint32_t fwmark = 0;               // 0: no fwmark match
  std::uint32_t fwmask = 0;               // 0: the kernel's default (all bits)
  IpPrefix source;                        // empty: "from all"
  IpPrefix destination;                   // empty: "to all"

  friend bool operator==(const Rule&, const Rule&) = default;
};

class Rules {
 public:
  explicit Rules(Socket& route_socket) : socket_(route_socket) {}

  // family: AF_INET, AF_INET6 or 0 for both. Only rules whose action is "lookup a table".
  std::vector<Rule> list(int family = 0);
  // Fails with NetlinkError EEXIST when an identical rule exists (NLM_F_EXCL).
  void add(const Rule& rule);
  // Deletes the first rule matching every field given; ENOENT when there is none.
  void remove(const Rule& rule);

 private:
  Socket& socket_;
};

std::optional<Rule> parse_rule(const nlmsghdr* message);

}  // namespace kr::netlink
