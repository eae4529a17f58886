// The OPEN we send (bgp-wire.md §5.1, §5.2) and what a session agrees on once
// the peer's OPEN has been accepted (§5.3).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "bgp/codec/open.h"
#include "bgp/codec/update.h"
#include "bgp/session/session_config.h"

namespace kr::bgp::session {

// `restarting` sets the graceful-restart R bit and the F bit of every family
// tuple (RFC 4724 §3; kube-router marks every newly added neighbor as locally
// restarting until its initial sync is done).
OpenMessage build_open(const SessionConfig& config, bool restarting);

struct Negotiated {
  uint32_t peer_as = 0;
  uint32_t peer_id = 0;  // host order
  // min(ours, theirs); 0 = no keepalives and no hold timer (RFC 4271 §4.2).
  uint16_t hold_time = 0;
  std::chrono::milliseconds keepalive{0};
  // Intersection of our families with the peer's multiprotocol capabilities;
  // a peer without any is IPv4 unicast only (RFC 4760 §8).
  std::vector<Family> families;
  bool route_refresh = false;  // the peer can receive ROUTE-REFRESH
  // The peer's graceful-restart capability, if it sent one.
  std::optional<GracefulRestartCapability> peer_graceful_restart;
  // Both sides advertised graceful restart: End-of-RIB markers are sent.
  bool graceful_restart = false;
  std::optional<std::string> peer_hostname;
  CodecOptions codec;

  IpAddress local_address;
  uint16_t local_port = 0;
  IpAddress peer_address;
  uint16_t peer_port = 0;

  bool has_family(Family f) const;
  // Families in the peer's graceful-restart capability: the ones whose routes
  // are kept stale when this session drops (RFC 4724 §4.2).
  std::vector<Family> peer_restart_families() const;
  // Of those, the ones whose forwarding state the peer says it preserved (F
  // bit): after a restart, stale routes of any other family go at once.
  std::vector<Family> peer_preserved_families() const;
};

// Assumes validate_open() accepted `peer`.
Negotiated negotiate(const SessionConfig& config, const OpenMessage& peer);

}  // namespace kr::bgp::session
