#include "bgp/codec/negotiation.h"

#include <algorithm>

namespace kr::bgp {

bool Negotiated::has_family(Family f) const {
  return std::find(families.begin(), families.end(), f) != families.end();
}

std::vector<Family> Negotiated::graceful_restart_families() const {
  std::vector<Family> out;
  if (!peer_graceful_restart) return out;
  for (const auto& ff : peer_graceful_restart->families) {
    if (has_family(ff.family)) out.push_back(ff.family);
  }
  return out;
}

CodecOptions Negotiated::codec_options(bool ebgp) const {
  CodecOptions o;
  o.four_octet_as = four_octet_as;
  o.extended_message = extended_message;
  o.ebgp = ebgp;
  return o;
}

Negotiated negotiate(const Capabilities& local, const Capabilities& peer) {
  Negotiated n;
  const std::vector<Family> peer_families =
      peer.multiprotocol.empty() ? std::vector<Family>{kIpv4Unicast} : peer.multiprotocol;
  for (const Family& f : local.multiprotocol) {
    if (std::find(peer_families.begin(), peer_families.end(), f) != peer_families.end()) {
      n.families.push_back(f);
    }
  }
  n.four_octet_as = local.four_octet_as.has_value() && peer.four_octet_as.has_value();
  n.extended_message = local.extended_message && peer.extended_message;
  n.route_refresh = peer.route_refresh;
  if (local.graceful_restart && peer.graceful_restart) {
    n.peer_graceful_restart = peer.graceful_restart;
  }
  return n;
}

}  // namespace kr::bgp
