#include "bgp/speaker/config.h"

#include <fmt/format.h>

#include "bgp/session/socket_options.h"

namespace kr::bgp::speaker {

std::string validate(const SpeakerConfig& c) {
  if (c.asn == 0) return "speaker AS number must not be 0";
  if (c.router_id == 0) return "speaker router ID must not be 0.0.0.0";
  if (c.graceful_restart.enabled &&
      (c.graceful_restart.restart_time == 0 || c.graceful_restart.restart_time > 4095)) {
    return fmt::format("graceful restart time {} is outside 1..4095 seconds",
                       c.graceful_restart.restart_time);
  }
  return "";
}

std::string validate(const PeerConfig& p) {
  const std::string who = "neighbor " + p.address.to_string();
  if (p.address.is_unspecified()) return "neighbor address must not be unspecified";
  if (p.port == 0) return who + ": port must not be 0";
  if (p.local_address && p.local_address->v6 != p.address.v6) {
    return who + ": local address " + p.local_address->to_string() + " is of another family";
  }
  if (p.password.size() > session::kMaxMd5KeyLength) {
    return fmt::format("{}: password is {} bytes, at most {} are allowed", who, p.password.size(),
                       session::kMaxMd5KeyLength);
  }
  if (p.hold_time == 1 || p.hold_time == 2) {
    return who + ": hold time must be 0 or at least 3 seconds (RFC 4271 §4.2)";
  }
  if (p.connect_retry.count() <= 0) return who + ": connect retry must be positive";
  if (p.families.empty()) return who + ": no address family enabled";
  for (const Family& f : p.families) {
    if (!f.is_ipv4_unicast() && !f.is_ipv6_unicast()) {
      return who + ": unsupported address family " + f.to_string();
    }
  }
  return "";
}

session::SessionConfig session_config(const SpeakerConfig& speaker, const PeerConfig& peer) {
  session::SessionConfig s;
  s.peer_address = peer.address;
  s.peer_port = peer.port;
  s.local_address = peer.local_address;
  s.local_as = speaker.asn;
  s.peer_as = peer.asn;
  s.router_id = speaker.router_id;
  s.hold_time = peer.hold_time;
  s.connect_retry = peer.connect_retry;
  s.passive = peer.passive;
  s.password = peer.password;
  // External eBGP sessions go out with TTL 1 unless multihop is configured;
  // node peers with an unset AS and same-AS sessions keep the OS default.
  if (peer.asn != 0 && peer.asn != speaker.asn) {
    s.ttl = peer.multihop_ttl > 1 ? peer.multihop_ttl : 1;
  }
  s.families = peer.families;
  s.graceful_restart = speaker.graceful_restart;
  s.hostname = speaker.hostname;
  return s;
}

}  // namespace kr::bgp::speaker
