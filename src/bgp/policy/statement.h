// Policy statements: conditions on a route and actions on its attributes
// (GoBGP's statement model, reduced to what kube-router uses: routing.md §7).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bgp/codec/path_attributes.h"

namespace kr::bgp::policy {

class PrefixSet;
class NeighborSet;

// Where the route under evaluation came from.
enum class RouteSource : uint8_t {
  kLocal,     // originated by this speaker
  kInternal,  // learned from an iBGP peer
  kExternal,  // learned from an eBGP peer
};

// The route a policy looks at. `neighbor` is the peer the route is sent to
// (export) or was received from (import), as in GoBGP.
struct RouteView {
  IpPrefix prefix;
  IpAddress neighbor;
  RouteSource source = RouteSource::kLocal;
  const PathAttributes* attrs = nullptr;
};

// GoBGP match-set-options: "any" matches when the set matches, "invert" when
// it does not.
enum class MatchOption : uint8_t { kAny, kInvert };

struct Conditions {
  std::string prefix_set;  // empty = no prefix condition
  MatchOption prefix_option = MatchOption::kAny;
  std::string neighbor_set;  // empty = no neighbor condition
  MatchOption neighbor_option = MatchOption::kAny;
  std::optional<RouteSource> source;
  std::optional<Origin> origin;
};

enum class Disposition : uint8_t {
  kNone,  // apply the actions and continue with the next statement
  kAccept,
  kReject,
};

enum class CommunityOp : uint8_t { kNone, kAdd, kReplace, kRemove };

struct Actions {
  Disposition disposition = Disposition::kNone;
  CommunityOp community_op = CommunityOp::kNone;
  std::vector<uint32_t> communities;
  // AS-path prepend: `prepend_asn` inserted `prepend_count` times in front.
  uint32_t prepend_asn = 0;
  uint8_t prepend_count = 0;
  // Next hop = the session's local address (kube-router --override-nexthop).
  bool next_hop_self = false;
  std::optional<IpAddress> next_hop;
  std::optional<uint32_t> local_pref;
  std::optional<uint32_t> med;

  bool modifies_attributes() const;
};

struct Statement {
  std::string name;
  Conditions conditions;
  Actions actions;
};

// What the actions need from the session.
struct ActionContext {
  IpAddress local_address;  // for next-hop self
};

// Applies `actions` to `attrs` (a copy the caller owns).
void apply_actions(const Actions& actions, const ActionContext& ctx, PathAttributes& attrs);

// Resolved form of a statement, with set references bound.
struct BoundStatement {
  const Statement* statement = nullptr;
  const PrefixSet* prefix_set = nullptr;
  const NeighborSet* neighbor_set = nullptr;

  bool matches(const RouteView& route) const;
};

}  // namespace kr::bgp::policy
