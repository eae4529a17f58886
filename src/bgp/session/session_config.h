// What one BGP session is configured with (bgp-wire.md §3, §4, §14): the
// neighbor, the transport options and the values our OPEN carries.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bgp/codec/constants.h"
#include "bgp/codec/ip.h"

namespace kr::bgp::session {

// RFC 4724 as kube-router configures it (bgp-wire.md §10).
struct GracefulRestartConfig {
  bool enabled = false;
  // Advertised restart time, seconds (12 bits on the wire, at most 4095).
  uint16_t restart_time = 90;
  // Selection deferral while we are the restarting speaker; also how long a
  // re-established helper session waits for the peer's End-of-RIB before it
  // drops the peer's remaining stale routes.
  std::chrono::seconds deferral_time{360};
};

struct SessionConfig {
  IpAddress peer_address;
  uint16_t peer_port = 179;
  // Source address of our connections, and the address an accepted
  // connection must have arrived on. Unset: the kernel chooses.
  std::optional<IpAddress> local_address;

  uint32_t local_as = 0;
  // 0 = accept any AS (kube-router full-mesh node peers, routing.md §5.2).
  uint32_t peer_as = 0;
  uint32_t router_id = 0;  // host order

  // Hold time we advertise; keepalive = negotiated hold / 3 (bgp-wire.md §4).
  uint16_t hold_time = 90;
  // Retry interval of outgoing connects, jittered by 0.75–1.0.
  std::chrono::seconds connect_retry{120};
  // Never connect out; only accept (kube-router never sets it; tests and
  // benchmarks do).
  bool passive = false;

  // RFC 2385 key (raw bytes, at most 80); empty = no TCP MD5.
  std::string password;
  // Outgoing IP TTL / hop limit; 0 leaves the OS default (bgp-wire.md §3.3).
  uint8_t ttl = 0;

  std::vector<Family> families = std::vector<Family>(1, kIpv4Unicast);
  GracefulRestartConfig graceful_restart;
  // Sent in the hostname capability (code 73) when non-empty.
  std::string hostname;
};

}  // namespace kr::bgp::session
