// What an OPEN exchange settles for a session (bgp-wire.md §5.3, §10).
#pragma once

#include <optional>
#include <vector>

#include "bgp/codec/capabilities.h"
#include "bgp/codec/update.h"

namespace kr::bgp {

struct Negotiated {
  // Local families the peer also announced; a peer that sent no Multiprotocol
  // capability at all speaks IPv4 unicast only (RFC 4760 §8).
  std::vector<Family> families;
  bool four_octet_as = false;     // peer sent capability 65 (we always do)
  bool extended_message = false;  // both sent capability 6
  bool route_refresh = false;     // peer accepts ROUTE-REFRESH
  // Graceful restart is in effect only when both sides sent capability 64;
  // this is the peer's (its restart time, R bit and per-family F bits).
  std::optional<GracefulRestartCapability> peer_graceful_restart;

  bool has_family(Family f) const;
  // The families the peer's GR capability covers among the negotiated ones:
  // what to keep as stale if its session drops (RFC 4724 §4.2).
  std::vector<Family> graceful_restart_families() const;
  // Codec settings for this session; `ebgp` when the peer's AS differs.
  CodecOptions codec_options(bool ebgp) const;
};

Negotiated negotiate(const Capabilities& local, const Capabilities& peer);

}  // namespace kr::bgp
