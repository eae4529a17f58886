// Which best paths a peer may receive, and how their attributes are rewritten
// on the way out, before export policy (bgp-wire.md §6.1, §6.2, §9).
#pragma once

#include "bgp/rib/types.h"

namespace kr::bgp::rib {

struct ExportScope {
  const RibConfig* config = nullptr;
  const PeerInfo* source = nullptr;  // null for locally originated paths
  PeerId source_id = kLocalPeer;
  const PeerInfo* target = nullptr;
  PeerId target_id = kLocalPeer;

  bool target_external() const { return target->asn != config->local_as; }
  bool source_internal() const { return source != nullptr && source->asn == config->local_as; }
  uint32_t cluster_id() const {
    return config->cluster_id != 0 ? config->cluster_id : config->router_id;
  }
};

// False when the path must not be sent to the target at all: back to its
// source, iBGP-learned to an iBGP peer without reflection (RFC 4271 §9.2,
// RFC 4456 §6), our cluster ID already on its CLUSTER_LIST toward a client
// (RFC 4456 §8), or the target's AS already in its AS_PATH (sender-side loop
// suppression, as GoBGP does).
bool may_export(const PathAttributes& attrs, const ExportScope& scope);

// The attributes as the target must see them, before export policy:
//   eBGP: prepend local AS; NEXT_HOP = session local address unless a local
//         path carries an explicit one; drop MED of learned paths, LOCAL_PREF,
//         ORIGINATOR_ID and CLUSTER_LIST.
//   iBGP: add empty AS_PATH and LOCAL_PREF 100 if missing; NEXT_HOP = local
//         address only for local paths without one; toward an RR client add
//         ORIGINATOR_ID if absent and prepend the cluster ID, toward others
//         strip both (GoBGP's behaviour, bgp-wire.md §9).
//   Both: drop unknown non-transitive attributes; mark unknown transitive
//         ones Partial when passing on a learned path (RFC 4271 §5).
PathAttributes rewrite_for_export(const PathAttributes& in, const ExportScope& scope);

// eBGP: LOCAL_PREF never leaves the AS, even if export policy set it.
void finish_for_target(PathAttributes& attrs, const ExportScope& scope);

}  // namespace kr::bgp::rib
