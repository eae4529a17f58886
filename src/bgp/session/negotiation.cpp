#include "bgp/session/negotiation.h"

#include <algorithm>

namespace kr::bgp::session {

OpenMessage build_open(const SessionConfig& config, bool restarting) {
  OpenMessage open;
  open.set_asn(config.local_as);
  open.hold_time = config.hold_time;
  open.bgp_id = config.router_id;
  Capabilities& caps = open.capabilities;
  caps.route_refresh = true;
  if (!config.hostname.empty()) {
    // draft-walton-bgp-hostname-capability: at most 64 bytes of host name.
    caps.hostname = config.hostname.substr(0, 64);
    caps.domain = std::string();
  }
  caps.multiprotocol = config.families;
  // Extended messages (RFC 8654) and extended next hop (RFC 8950) are not
  // advertised: bgp-wire.md §1 allows omitting both, and kube-router never
  // needs either.
  if (config.graceful_restart.enabled) {
    GracefulRestartCapability gr;
    gr.restart_state = restarting;
    gr.restart_time = std::min<uint16_t>(config.graceful_restart.restart_time, 4095);
    for (const Family& f : config.families) gr.families.push_back({f, restarting});
    caps.graceful_restart = gr;
  }
  return open;
}

bool Negotiated::has_family(Family f) const {
  return std::find(families.begin(), families.end(), f) != families.end();
}

std::vector<Family> Negotiated::peer_restart_families() const {
  std::vector<Family> out;
  if (!graceful_restart || !peer_graceful_restart) return out;
  for (const auto& t : peer_graceful_restart->families) {
    if (has_family(t.family)) out.push_back(t.family);
  }
  return out;
}

std::vector<Family> Negotiated::peer_preserved_families() const {
  std::vector<Family> out;
  if (!graceful_restart || !peer_graceful_restart) return out;
  for (const auto& t : peer_graceful_restart->families) {
    if (t.forwarding_preserved && has_family(t.family)) out.push_back(t.family);
  }
  return out;
}

Negotiated negotiate(const SessionConfig& config, const OpenMessage& peer) {
  Negotiated n;
  n.peer_as = peer.asn();
  n.peer_id = peer.bgp_id;
  n.hold_time = std::min(config.hold_time, peer.hold_time);
  // Keepalive = hold / 3 of the negotiated hold time (bgp-wire.md §4).
  n.keepalive = std::chrono::milliseconds(uint64_t{n.hold_time} * 1000 / 3);
  const Capabilities& caps = peer.capabilities;
  if (caps.multiprotocol.empty()) {
    if (std::find(config.families.begin(), config.families.end(), kIpv4Unicast) !=
        config.families.end()) {
      n.families.push_back(kIpv4Unicast);
    }
  } else {
    for (const Family& f : config.families) {
      if (std::find(caps.multiprotocol.begin(), caps.multiprotocol.end(), f) !=
          caps.multiprotocol.end()) {
        n.families.push_back(f);
      }
    }
  }
  n.route_refresh = caps.route_refresh;
  n.peer_graceful_restart = caps.graceful_restart;
  n.graceful_restart = config.graceful_restart.enabled && caps.graceful_restart.has_value();
  n.peer_hostname = caps.hostname;
  n.codec.four_octet_as = caps.four_octet_as.has_value();
  n.codec.extended_message = false;  // never advertised by us
  n.codec.ebgp = n.peer_as != config.local_as;
  return n;
}

}  // namespace kr::bgp::session
