// IPVS objects as the proxy (proxy.md §4, §8, §9, §13) sees them: virtual
// services (address/protocol/port, or firewall mark), their scheduler and
// flags, real-server destinations, statistics and the global timeouts.
#pragma once

#include <cstdint>
#include <string>

#include "kernel/netlink/ip.h"

namespace kr::ipvs {

using netlink::IpAddress;

enum class Protocol : std::uint16_t { kTcp = 6, kUdp = 17, kSctp = 132 };

// IP_VS_CONN_F_* forwarding methods (ipvsadm -m / -i / -g).
enum class ForwardMethod : std::uint32_t { kMasquerade = 0, kLocal = 1, kTunnel = 2, kRoute = 3 };

// Encapsulation of tunnel forwarding (IPVS_DEST_ATTR_TUN_TYPE).
enum class TunnelType : std::uint8_t { kIpip = 0, kGue = 1, kGre = 2 };

// Service flags (IP_VS_SVC_F_*). The scheduler flags mean different things per scheduler.
namespace flags {
inline constexpr std::uint32_t kPersistent = 0x0001;  // session affinity (ipvsadm -p)
inline constexpr std::uint32_t kHashed = 0x0002;      // set by the kernel on every service
inline constexpr std::uint32_t kOnePacket = 0x0004;   // one-packet scheduling (UDP)
inline constexpr std::uint32_t kSched1 = 0x0008;
inline constexpr std::uint32_t kSched2 = 0x0010;
inline constexpr std::uint32_t kSched3 = 0x0020;
inline constexpr std::uint32_t kShFallback = kSched1;  // sh: skip unavailable servers
inline constexpr std::uint32_t kShPort = kSched2;      // sh: hash the source port too
inline constexpr std::uint32_t kMhFallback = kSched1;  // mh: the same for maglev hashing
inline constexpr std::uint32_t kMhPort = kSched2;
}  // namespace flags

// What identifies a virtual service: fwmark != 0 for a firewall-mark service (DSR, proxy.md
// §8.3), else address + protocol + port.
struct ServiceKey {
  IpAddress address;
  Protocol protocol = Protocol::kTcp;
  std::uint16_t port = 0;
  std::uint32_t fwmark = 0;
  int family = 0;  // for fwmark services (no address); otherwise the address's family

  int address_family() const { return fwmark != 0 ? family : address.family(); }
  std::string to_string() const;  // "10.96.0.10:80/tcp", "[fd00::1]:80/udp", "fwmark 4660/inet"
  // Same service: same fwmark and family, or same address, protocol and port (fields that do
  // not identify the kind of service are ignored).
  friend bool operator==(const ServiceKey& a, const ServiceKey& b);
};

// Counters and rates (IPVS_STATS_ATTR_*), what kube_router_service_* metrics export.
struct Stats {
  std::uint64_t connections = 0;
  std::uint64_t packets_in = 0;
  std::uint64_t packets_out = 0;
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
  std::uint64_t cps = 0;  // rates: per second, estimated by the kernel every 2 s
  std::uint64_t pps_in = 0;
  std::uint64_t pps_out = 0;
  std::uint64_t bps_in = 0;
  std::uint64_t bps_out = 0;
  friend bool operator==(const Stats&, const Stats&) = default;
};

struct Service {
  ServiceKey key;
  std::string scheduler = "rr";  // rr, wrr, lc, sh, mh, ... (at most 15 characters)
  std::uint32_t flags = 0;       // flags::*
  std::uint32_t timeout = 0;     // persistence timeout in seconds (with flags::kPersistent)
  // Persistence granularity as the kernel stores it: an IPv4 mask in network byte order
  // (0xffffffff = per client address), or an IPv6 prefix length (128).
  std::uint32_t netmask = 0xffffffffu;
  Stats stats;  // filled by list_services(); ignored when writing

  // The netmask value for "one client address" in the key's family.
  static std::uint32_t host_netmask(int family);
};

struct Destination {
  IpAddress address;
  std::uint16_t port = 0;
  std::uint32_t weight = 1;
  ForwardMethod forward = ForwardMethod::kMasquerade;
  TunnelType tunnel_type = TunnelType::kIpip;  // with ForwardMethod::kTunnel
  std::uint16_t tunnel_port = 0;               // GUE destination port
  std::uint32_t upper_threshold = 0;           // 0: no limit
  std::uint32_t lower_threshold = 0;
  // Filled by list_destinations(); ignored when writing. Graceful termination (proxy.md §9)
  // deletes a weight-0 destination once both connection counts are 0.
  std::uint32_t active_connections = 0;
  std::uint32_t inactive_connections = 0;
  std::uint32_t persistent_connections = 0;
  Stats stats;

  std::string to_string() const;  // "10.0.0.5:8080"
};

// Connection timeouts in seconds (ipvsadm --set tcp tcpfin udp). When setting, 0 leaves a
// value unchanged.
struct Timeouts {
  std::uint32_t tcp = 0;
  std::uint32_t tcp_fin = 0;
  std::uint32_t udp = 0;
  friend bool operator==(const Timeouts&, const Timeouts&) = default;
};

std::string to_string(Protocol protocol);  // "tcp", "udp", "sctp"

}  // namespace kr::ipvs
