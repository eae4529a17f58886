// Network interfaces over rtnetlink (RTM_*LINK): list, look up, create the
// kinds kube-router uses (dummy for kube-dummy-if, bridge for kube-bridge,
// veth, ipip/ip6tnl tunnels with optional FOU/GUE encapsulation), set
// up/down and MTU, delete.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/netlink/ip.h"
#include "kernel/netlink/socket.h"

namespace kr::netlink {

// UDP encapsulation of a tunnel (IFLA_IPTUN_ENCAP_TYPE, enum tunnel_encap_types).
enum class TunnelEncap : std::uint16_t { kNone = 0, kFou = 1, kGue = 2 };

// An ipip (IPv4) or ip6tnl (IPv6, mode ip6ip6) tunnel's parameters (IFLA_IPTUN_*).
struct Tunnel {
  IpAddress local;
  IpAddress remote;
  std::uint8_t ttl = 0;  // 0: inherit from the inner packet
  TunnelEncap encap = TunnelEncap::kNone;
  std::uint16_t encap_source_port = 0;  // 0: "encap-sport auto"
  std::uint16_t encap_destination_port = 0;
};

struct Link {
  int index = 0;
  std::string name;
  std::string kind;    // IFLA_INFO_KIND: "dummy", "bridge", "veth", "ipip", "ip6tnl"; "" if none
  unsigned flags = 0;  // IFF_* of ifinfomsg
  std::uint32_t mtu = 0;
  int master = 0;                // index of the bridge it is enslaved to, 0 if none
  std::optional<Tunnel> tunnel;  // for kind ipip and ip6tnl

  bool up() const;  // administratively up (IFF_UP)
};

class Links {
 public:
  explicit Links(Socket& route_socket) : socket_(route_socket) {}

  std::vector<Link> list();
  // nullopt when no such interface exists; other failures throw NetlinkError.
  std::optional<Link> get(std::string_view name);
  std::optional<Link> get(int index);

  // Each add fails with NetlinkError (EEXIST) when the name is taken.
  void add_dummy(std::string_view name);
  void add_bridge(std::string_view name);
  void add_veth(std::string_view name, std::string_view peer_name);
  // ipip for IPv4 endpoints, ip6tnl mode ip6ip6 for IPv6 ones (tunnel.remote decides).
  void add_tunnel(std::string_view name, const Tunnel& tunnel);

  void set_up(std::string_view name, bool up);
  void set_mtu(std::string_view name, std::uint32_t mtu);
  void set_master(std::string_view name, std::string_view bridge);
  void remove(std::string_view name);

 private:
  Socket& socket_;
};

// The Link described by one RTM_NEWLINK message; nullopt when it is malformed.
std::optional<Link> parse_link(const nlmsghdr* message);

}  // namespace kr::netlink
