#include "kernel/netlink/route.h"

#include <linux/rtnetlink.h>
#include <netinet/in.h>

#include <array>
#include <cerrno>
#include <stdexcept>

#include "kernel/netlink/error.h"

namespace kr::netlink {
namespace {

std::string describe(const Route& route) {
  std::string text = route.destination.to_string() + " table " + std::to_string(route.table);
  if (!route.gateway.empty()) text += " via " + route.gateway.to_string();
  if (route.oif != 0) text += " dev #" + std::to_string(route.oif);
  return text;
}

bool matches(const Route& route, const RouteFilter& filter) {
  return (filter.family == 0 || route.family() == filter.family) &&
         (filter.table == 0 || route.table == filter.table) &&
         (filter.protocol == 0 || route.protocol == filter.protocol) &&
         (filter.oif == 0 || route.oif == filter.oif);
}

}  // namespace

Message route_request(std::uint16_t type, std::uint16_t flags, const std::string& verb,
                      const Route& route) {
  std::string operation = verb + " route " + describe(route);
  const IpAddress& destination = route.destination.address;
  if (destination.empty()) throw std::invalid_argument(operation + ": missing destination");
  if ((!route.gateway.empty() && route.gateway.family() != destination.family()) ||
      (!route.preferred_source.empty() &&
       route.preferred_source.family() != destination.family())) {
    throw std::invalid_argument(operation +
                                ": gateway and source must be of the destination's family");
  }
  Message message(type, flags, operation);
  auto& header = message.put_header<rtmsg>();
  header.rtm_family = static_cast<std::uint8_t>(destination.family());
  header.rtm_dst_len = route.destination.length;
  // Tables above 255 only fit RTA_TABLE; rtm_table then says RT_TABLE_UNSPEC.
  header.rtm_table =
      route.table < 256 ? static_cast<std::uint8_t>(route.table) : std::uint8_t{RT_TABLE_UNSPEC};
  header.rtm_protocol = route.protocol;
  header.rtm_scope = static_cast<std::uint8_t>(route.scope);
  header.rtm_type = static_cast<std::uint8_t>(route.type);
  if (route.onlink) header.rtm_flags |= RTNH_F_ONLINK;
  message.put_u32(RTA_TABLE, route.table);
  if (route.destination.length > 0) message.put_address(RTA_DST, destination);
  if (!route.gateway.empty()) message.put_address(RTA_GATEWAY, route.gateway);
  if (route.oif != 0) message.put_u32(RTA_OIF, static_cast<std::uint32_t>(route.oif));
  if (!route.preferred_source.empty()) message.put_address(RTA_PREFSRC, route.preferred_source);
  if (route.priority != 0) message.put_u32(RTA_PRIORITY, route.priority);
  return message;
}

std::optional<Route> parse_route(const nlmsghdr* message) {
  const auto* header = family_header<rtmsg>(message);
  if (header == nullptr || message->nlmsg_type != RTM_NEWROUTE) return std::nullopt;
  if (header->rtm_family != AF_INET && header->rtm_family != AF_INET6) return std::nullopt;
  auto attributes = Attributes::of_message(message, sizeof(rtmsg), RTA_MAX);
  Route route;
  auto destination = attributes.address(RTA_DST);
  if (!destination) {
    // A default route has no RTA_DST: the all-zero address of the family.
    std::array<std::uint8_t, 16> zero{};
    destination = IpAddress::from_bytes({zero.data(), header->rtm_family == AF_INET ? 4u : 16u});
  }
  if (destination->family() != header->rtm_family) return std::nullopt;
  route.destination = IpPrefix{*destination, header->rtm_dst_len};
  route.table = attributes.u32(RTA_TABLE).value_or(header->rtm_table);
  route.protocol = header->rtm_protocol;
  route.scope = static_cast<Scope>(header->rtm_scope);
  route.type = static_cast<RouteType>(header->rtm_type);
  route.onlink = (header->rtm_flags & RTNH_F_ONLINK) != 0;
  route.gateway = attributes.address(RTA_GATEWAY).value_or(IpAddress());
  route.oif = static_cast<int>(attributes.u32(RTA_OIF).value_or(0));
  route.preferred_source = attributes.address(RTA_PREFSRC).value_or(IpAddress());
  route.priority = attributes.u32(RTA_PRIORITY).value_or(0);
  return route;
}

std::vector<Route> Routes::list(const RouteFilter& filter) {
  Message request(RTM_GETROUTE, NLM_F_DUMP, "list routes");
  request.put_header<rtmsg>().rtm_family = static_cast<std::uint8_t>(filter.family);
  std::vector<Route> routes;
  socket_.query(request, [&](const nlmsghdr* reply) {
    const auto* header = family_header<rtmsg>(reply);
    // Cached clones (IPv6 exceptions, PMTU entries) are not configured routes.
    if (header == nullptr || (header->rtm_flags & RTM_F_CLONED) != 0) return;
    auto route = parse_route(reply);
    if (route && matches(*route, filter)) routes.push_back(*route);
  });
  return routes;
}

void Routes::add(const Route& route) {
  auto request = route_request(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, "add", route);
  socket_.execute(request);
}

void Routes::replace(const Route& route) {
  auto request = route_request(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, "replace", route);
  socket_.execute(request);
}

void Routes::remove(const Route& route) {
  auto request = route_request(RTM_DELROUTE, 0, "delete", route);
  socket_.execute(request);
}

std::size_t Routes::flush(const RouteFilter& filter) {
  std::vector<Message> requests;
  for (const Route& route : list(filter)) {
    requests.push_back(route_request(RTM_DELROUTE, 0, "delete", route));
  }
  auto results = socket_.execute_batch(requests);
  std::size_t deleted = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    // ESRCH: gone already (e.g. removed with its interface by an earlier request).
    if (results[i].error == 0) {
      ++deleted;
    } else if (results[i].error != ESRCH) {
      throw NetlinkError(requests[i].operation(), results[i].error, results[i].kernel_message);
    }
  }
  return deleted;
}

}  // namespace kr::netlink
