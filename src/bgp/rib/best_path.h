// The BGP decision process: which of a prefix's paths is best.
#pragma once

#include "bgp/rib/types.h"

namespace kr::bgp::rib {

// What the comparison needs to know about a path's source.
struct PathSource {
  bool local = false;      // originated by this speaker
  bool external = false;   // learned over eBGP
  uint32_t router_id = 0;  // the sending peer's BGP identifier (ours if local)
  IpAddress address;       // the sending peer's address (unspecified if local)
};

struct Candidate {
  const PathAttributes* attrs = nullptr;  // after import policy
  uint32_t age = 0;                       // arrival order (PathEntry::age)
  PathSource source;
};

// True when `a` is preferred over `b`. Order and references in best_path.cpp.
bool better_path(const Candidate& a, const Candidate& b);

}  // namespace kr::bgp::rib
