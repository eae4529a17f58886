// Configuration of the speaker and of each neighbor, as the routing
// controller (routing.md §3, §5) or the standalone tool fills it in.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bgp/codec/constants.h"
#include "bgp/codec/ip.h"
#include "bgp/session/session_config.h"

namespace kr::bgp::speaker {

struct SpeakerConfig {
  uint32_t asn = 0;
  uint32_t router_id = 0;  // host order; must not be 0
  // Addresses to accept connections on (routing.md §3.3: node IPs, not the
  // wildcard). Empty: no listening at all (every peer is then reached by
  // connecting out).
  std::vector<IpAddress> listen_addresses;
  // --bgp-port; 0 lets the kernel pick (tests).
  uint16_t listen_port = 179;
  // RFC 4456 cluster ID when reflecting; 0 = the router ID.
  uint32_t cluster_id = 0;
  // --bgp-graceful-restart and its timers; applies to every neighbor.
  session::GracefulRestartConfig graceful_restart;
  // Sent in the hostname capability (FRR shows it).
  std::string hostname;
};

struct PeerConfig {
  IpAddress address;
  uint16_t port = 179;
  // 0 = accept any AS and classify iBGP/eBGP from the OPEN (kube-router's
  // full-mesh node peers, routing.md §5.2).
  uint32_t asn = 0;
  // Our source address toward the peer; an accepted connection must arrive
  // on it. Unset: the kernel chooses.
  std::optional<IpAddress> local_address;
  // Raw TCP MD5 key (already base64-decoded); empty = none.
  std::string password;
  // eBGP multihop TTL (--peer-router-multihop-ttl); 0 or 1 = TTL 1 on eBGP
  // sessions with a configured AS (bgp-wire.md §3.3).
  uint8_t multihop_ttl = 0;
  uint16_t hold_time = 90;
  std::chrono::seconds connect_retry{120};
  bool passive = false;
  std::vector<Family> families = std::vector<Family>(1, kIpv4Unicast);
  bool route_reflector_client = false;

  bool operator==(const PeerConfig&) const = default;
};

// "" when the speaker configuration is usable, else what is wrong with it.
std::string validate(const SpeakerConfig& config);
// "" when the neighbor can be added, else a message naming the neighbor.
std::string validate(const PeerConfig& peer);

// The session a neighbor gets (TTL rule of bgp-wire.md §3.3, GR timers).
session::SessionConfig session_config(const SpeakerConfig& speaker, const PeerConfig& peer);

}  // namespace kr::bgp::speaker
