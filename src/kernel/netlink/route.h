// Routes over rtnetlink (RTM_*ROUTE): list by table/protocol, add, replace,
// delete, and flush by protocol. kube-router's routes carry protocol 17
// (routing.md §8) and live in the main table, table 77 (tunnel host routes,
// §9.2), 78 (DSR, proxy.md §8.4), 79 and the local table (VIP routes, §4.5).
#pragma once

#include <cstdint>
#include <vector>

#include "kernel/netlink/ip.h"
#include "kernel/netlink/scope.h"
#include "kernel/netlink/socket.h"

namespace kr::netlink {

// rtm_type values (enum in linux/rtnetlink.h).
enum class RouteType : std::uint8_t { kUnicast = 1, kLocal = 2, kBlackhole = 6, kUnreachable = 7 };

inline constexpr std::uint32_t kTableMain = 254;    // RT_TABLE_MAIN
inline constexpr std::uint32_t kTableLocal = 255;   // RT_TABLE_LOCAL
inline constexpr std::uint8_t kProtocolBoot = 3;    // RTPROT_BOOT: iproute2's default
inline constexpr std::uint8_t kProtocolKernel = 2;  // RTPROT_KERNEL
inline constexpr std::uint8_t kProtocolKubeRouter = 17;

struct Route {
  // Family comes from the destination's address: 0.0.0.0/0 or ::/0 for a default route.
  IpPrefix destination;
  std::uint32_t table = kTableMain;
  std::uint8_t protocol = kProtocolBoot;
  Scope scope = Scope::kUniverse;
  RouteType type = RouteType::kUnicast;
  IpAddress gateway;           // "via"; empty for none
  int oif = 0;                 // "dev" as an interface index; 0 for none
  bool onlink = false;         // RTNH_F_ONLINK: the gateway is on the link even without a prefix
  IpAddress preferred_source;  // "src"; empty for none
  std::uint32_t priority = 0;  // metric

  int family() const { return destination.address.family(); }
  friend bool operator==(const Route&, const Route&) = default;
};

struct RouteFilter {
  int family = 0;             // AF_INET, AF_INET6, 0 for both
  std::uint32_t table = 0;    // 0: every table
  std::uint8_t protocol = 0;  // 0: every protocol
  int oif = 0;                // 0: every interface
};

class Routes {
 public:
  explicit Routes(Socket& route_socket) : socket_(route_socket) {}

  std::vector<Route> list(const RouteFilter& filter = {});
  // Fails with NetlinkError EEXIST when the route exists.
  void add(const Route& route);
  // Adds or replaces the route with the same destination, table and metric.
  void replace(const Route& route);
  // Fails with NetlinkError ESRCH when there is no such route.
  void remove(const Route& route);
  // Deletes every route the filter matches, in batched requests (many RTM_DELROUTE per
  // sendmsg); routes that vanished meanwhile are not errors. Returns how many were deleted.
  // E.g. {.table = 0, .protocol = 17}: `ip route flush proto 17 table all`.
  std::size_t flush(const RouteFilter& filter);

 private:
  Socket& socket_;
};

std::optional<Route> parse_route(const nlmsghdr* message);
// The RTM_NEWROUTE/RTM_DELROUTE request for a route (exposed for tests).
Message route_request(std::uint16_t type, std::uint16_t flags, const std::string& verb,
                      const Route& route);

}  // namespace kr::netlink
