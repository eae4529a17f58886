#include "kernel/netlink/link.h"

#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/if_tunnel.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <netinet/in.h>

#include <cerrno>
#include <stdexcept>

#include "kernel/netlink/error.h"

namespace kr::netlink {
namespace {

Message link_request(std::uint16_t type, std::uint16_t flags, std::string operation) {
  Message message(type, flags, std::move(operation));
  message.put_header<ifinfomsg>().ifi_family = AF_UNSPEC;
  return message;
}

// A request about the interface named name (looked up by IFLA_IFNAME).
Message named_request(std::uint16_t type, std::uint16_t flags, std::string operation,
                      std::string_view name) {
  if (name.empty() || name.size() >= IFNAMSIZ) {
    throw std::invalid_argument(operation + ": invalid interface name '" + std::string(name) + "'");
  }
  Message message = link_request(type, flags, std::move(operation));
  message.put_string(IFLA_IFNAME, name);
  return message;
}

void create(Socket& socket, std::string_view name, std::string_view kind) {
  auto message = named_request(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL,
                               "add " + std::string(kind) + " link " + std::string(name), name);
  auto info = message.begin_nest(IFLA_LINKINFO);
  message.put_string(IFLA_INFO_KIND, kind);
  message.end_nest(info);
  socket.execute(message);
}

std::optional<Tunnel> parse_tunnel(const nlattr* data, int family) {
  auto attributes = Attributes::of_nest(data, IFLA_IPTUN_MAX);
  Tunnel tunnel;
  tunnel.local = attributes.address(IFLA_IPTUN_LOCAL, family).value_or(IpAddress());
  tunnel.remote = attributes.address(IFLA_IPTUN_REMOTE, family).value_or(IpAddress());
  tunnel.ttl = attributes.u8(IFLA_IPTUN_TTL).value_or(0);
  tunnel.encap = static_cast<TunnelEncap>(attributes.u16(IFLA_IPTUN_ENCAP_TYPE).value_or(0));
  tunnel.encap_source_port = attributes.be16(IFLA_IPTUN_ENCAP_SPORT).value_or(0);
  tunnel.encap_destination_port = attributes.be16(IFLA_IPTUN_ENCAP_DPORT).value_or(0);
  return tunnel;
}

}  // namespace

bool Link::up() const { return (flags & IFF_UP) != 0; }

std::optional<Link> parse_link(const nlmsghdr* message) {
  const auto* header = family_header<ifinfomsg>(message);
  if (header == nullptr || message->nlmsg_type != RTM_NEWLINK) return std::nullopt;
  auto attributes = Attributes::of_message(message, sizeof(ifinfomsg), IFLA_MAX);
  Link link;
  link.index = header->ifi_index;
  link.flags = header->ifi_flags;
  link.name = attributes.string(IFLA_IFNAME).value_or("");
  link.mtu = attributes.u32(IFLA_MTU).value_or(0);
  link.master = static_cast<int>(attributes.u32(IFLA_MASTER).value_or(0));
  auto info = Attributes::of_nest(attributes.nested(IFLA_LINKINFO), IFLA_INFO_MAX);
  link.kind = info.string(IFLA_INFO_KIND).value_or("");
  if (link.kind == "ipip") link.tunnel = parse_tunnel(info.nested(IFLA_INFO_DATA), AF_INET);
  if (link.kind == "ip6tnl") link.tunnel = parse_tunnel(info.nested(IFLA_INFO_DATA), AF_INET6);
  if (link.name.empty()) return std::nullopt;
  return link;
}

std::vector<Link> Links::list() {
  auto request = link_request(RTM_GETLINK, NLM_F_DUMP, "list links");
  std::vector<Link> links;
  socket_.query(request, [&](const nlmsghdr* reply) {
    if (auto link = parse_link(reply)) links.push_back(std::move(*link));
  });
  return links;
}

namespace {

std::optional<Link> get_one(Socket& socket, Message& request) {
  std::optional<Link> link;
  try {
    socket.query(request, [&](const nlmsghdr* reply) { link = parse_link(reply); });
  } catch (const NetlinkError& error) {
    if (error.error() == ENODEV) return std::nullopt;
    throw;
  }
  return link;
}

}  // namespace

std::optional<Link> Links::get(std::string_view name) {
  auto request = named_request(RTM_GETLINK, 0, "get link " + std::string(name), name);
  return get_one(socket_, request);
}

std::optional<Link> Links::get(int index) {
  Message request(RTM_GETLINK, 0, "get link #" + std::to_string(index));
  auto& header = request.put_header<ifinfomsg>();
  header.ifi_family = AF_UNSPEC;
  header.ifi_index = index;
  return get_one(socket_, request);
}

void Links::add_dummy(std::string_view name) { create(socket_, name, "dummy"); }
void Links::add_bridge(std::string_view name) { create(socket_, name, "bridge"); }

void Links::add_veth(std::string_view name, std::string_view peer_name) {
  auto message = named_request(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL,
                               "add veth link " + std::string(name), name);
  if (peer_name.empty() || peer_name.size() >= IFNAMSIZ) {
    throw std::invalid_argument(message.operation() + ": invalid peer name '" +
                                std::string(peer_name) + "'");
  }
  auto info = message.begin_nest(IFLA_LINKINFO);
  message.put_string(IFLA_INFO_KIND, "veth");
  auto data = message.begin_nest(IFLA_INFO_DATA);
  // VETH_INFO_PEER holds a whole ifinfomsg followed by the peer's own attributes.
  auto peer = message.begin_nest(VETH_INFO_PEER);
  message.put_header<ifinfomsg>().ifi_family = AF_UNSPEC;
  message.put_string(IFLA_IFNAME, peer_name);
  message.end_nest(peer);
  message.end_nest(data);
  message.end_nest(info);
  socket_.execute(message);
}

void Links::add_tunnel(std::string_view name, const Tunnel& tunnel) {
  const bool v6 = tunnel.remote.is_v6();
  const char* kind = v6 ? "ip6tnl" : "ipip";
  auto message = named_request(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL,
                               "add " + std::string(kind) + " link " + std::string(name), name);
  if (tunnel.remote.empty() ||
      (!tunnel.local.empty() && tunnel.local.family() != tunnel.remote.family())) {
    throw std::invalid_argument(message.operation() +
                                ": tunnel needs a remote address and a local one of its family");
  }
  auto info = message.begin_nest(IFLA_LINKINFO);
  message.put_string(IFLA_INFO_KIND, kind);
  auto data = message.begin_nest(IFLA_INFO_DATA);
  if (!tunnel.local.empty()) message.put_address(IFLA_IPTUN_LOCAL, tunnel.local);
  message.put_address(IFLA_IPTUN_REMOTE, tunnel.remote);
  message.put_u8(IFLA_IPTUN_TTL, tunnel.ttl);
  // The carried protocol: IPv4 in IPv4 ("mode ipip"), IPv6 in IPv6 ("mode ip6ip6").
  message.put_u8(IFLA_IPTUN_PROTO, v6 ? IPPROTO_IPV6 : IPPROTO_IPIP);
  if (tunnel.encap != TunnelEncap::kNone) {
    message.put_u16(IFLA_IPTUN_ENCAP_TYPE, static_cast<std::uint16_t>(tunnel.encap));
    message.put_u16(IFLA_IPTUN_ENCAP_FLAGS, 0);
    message.put_be16(IFLA_IPTUN_ENCAP_SPORT, tunnel.encap_source_port);
    message.put_be16(IFLA_IPTUN_ENCAP_DPORT, tunnel.encap_destination_port);
  }
  message.end_nest(data);
  message.end_nest(info);
  socket_.execute(message);
}

void Links::set_up(std::string_view name, bool up) {
  auto message =
      named_request(RTM_NEWLINK, 0, "set link " + std::string(name) + (up ? " up" : " down"), name);
  message.family<ifinfomsg>().ifi_change = IFF_UP;
  message.family<ifinfomsg>().ifi_flags = up ? IFF_UP : 0;
  socket_.execute(message);
}

void Links::set_mtu(std::string_view name, std::uint32_t mtu) {
  auto message = named_request(
      RTM_NEWLINK, 0, "set link " + std::string(name) + " mtu " + std::to_string(mtu), name);
  message.put_u32(IFLA_MTU, mtu);
  socket_.execute(message);
}

void Links::set_master(std::string_view name, std::string_view bridge) {
  auto master = get(bridge);
  std::string operation = "set link " + std::string(name) + " master " + std::string(bridge);
  if (!master) throw NetlinkError(operation, ENODEV);
  auto message = named_request(RTM_NEWLINK, 0, operation, name);
  message.put_u32(IFLA_MASTER, static_cast<std::uint32_t>(master->index));
  socket_.execute(message);
}

void Links::remove(std::string_view name) {
  auto message = named_request(RTM_DELLINK, 0, "delete link " + std::string(name), name);
  socket_.execute(message);
}

}  // namespace kr::netlink
