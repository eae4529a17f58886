// Best-path selection, in GoBGP's order (bgp-wire.md §8), which refines
// RFC 4271 §9.1.2.2:
//
//   1. not LLGR-stale — LLGR is never negotiated here, so no path is.
//   2. next hop reachable — always true: no IGP, no next-hop tracking.
//   3. highest LOCAL_PREF (RFC 4271 §9.1.1; absent counts as 100).
//   4. locally originated over learned.
//   5. shortest AS_PATH (§9.1.2.2 a: an AS_SET counts as one, confederation
//      segments count zero).
//   6. lowest ORIGIN (IGP < EGP < INCOMPLETE; §9.1.2.2 b).
//   7. lowest MED, only between paths from the same neighbouring AS
//      (§9.1.2.2 c; absent MED counts as 0, the RFC's default).
//   8. eBGP-learned over iBGP-learned (§9.1.2.2 d).
//   9. lowest IGP cost to the next hop — not applicable (step 2).
//  10. lowest BGP identifier of the sender, using ORIGINATOR_ID when present
//      (§9.1.2.2 f; RFC 4456 §9).
//  11. the older path (GoBGP; RFC 5004 for eBGP).
//  12. lowest neighbor address (§9.1.2.2 g).
//
// "Stale" paths of a gracefully restarting peer (RFC 4724) take part normally.
#include "bgp/rib/best_path.h"

namespace kr::bgp::rib {
namespace {

constexpr uint32_t kDefaultLocalPref = 100;

uint32_t local_pref(const PathAttributes& a) { return a.local_pref.value_or(kDefaultLocalPref); }

std::size_t path_length(const PathAttributes& a) { return a.as_path ? a.as_path->length() : 0; }

uint32_t neighbour_as(const PathAttributes& a) { return a.as_path ? a.as_path->first_as() : 0; }

uint32_t identifier(const Candidate& c) {
  return c.attrs->originator_id.value_or(c.source.router_id);
}

// Negative when a is better, positive when b is better, 0 when tied.
template <class T>
int prefer_higher(T a, T b) {
  return a > b ? -1 : (a < b ? 1 : 0);
}
template <class T>
int prefer_lower(T a, T b) {
  return a < b ? -1 : (a > b ? 1 : 0);
}

}  // namespace

bool better_path(const Candidate& a, const Candidate& b) {
  const PathAttributes& x = *a.attrs;
  const PathAttributes& y = *b.attrs;
  int c = prefer_higher(local_pref(x), local_pref(y));
  if (c == 0) c = prefer_higher(a.source.local, b.source.local);
  if (c == 0) c = prefer_lower(path_length(x), path_length(y));
  if (c == 0) {
    c = prefer_lower(static_cast<int>(x.origin.value_or(Origin::kIncomplete)),
                     static_cast<int>(y.origin.value_or(Origin::kIncomplete)));
  }
  if (c == 0 && neighbour_as(x) == neighbour_as(y)) {
    c = prefer_lower(x.med.value_or(0), y.med.value_or(0));
  }
  if (c == 0) c = prefer_higher(a.source.external, b.source.external);
  if (c == 0) c = prefer_lower(identifier(a), identifier(b));
  if (c == 0) c = prefer_lower(a.age, b.age);
  if (c == 0) c = prefer_lower(a.source.address, b.source.address);
  return c < 0;
}

}  // namespace kr::bgp::rib
