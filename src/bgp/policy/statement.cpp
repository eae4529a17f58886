#include "bgp/policy/statement.h"

#include <algorithm>

#include "bgp/policy/defined_sets.h"

namespace kr::bgp::policy {

bool Actions::modifies_attributes() const {
  return community_op != CommunityOp::kNone || prepend_count > 0 || next_hop_self ||
         next_hop.has_value() || local_pref.has_value() || med.has_value();
}

void apply_actions(const Actions& actions, const ActionContext& ctx, PathAttributes& attrs) {
  auto& c = attrs.communities;
  switch (actions.community_op) {
    case CommunityOp::kNone:
      break;
    case CommunityOp::kAdd:
      // RFC 1997 communities are a set: do not repeat a value already present.
      for (uint32_t v : actions.communities) {
        if (std::find(c.begin(), c.end(), v) == c.end()) c.push_back(v);
      }
      break;
    case CommunityOp::kReplace:
      c = actions.communities;
      break;
    case CommunityOp::kRemove:
      std::erase_if(c, [&](uint32_t v) {
        return std::find(actions.communities.begin(), actions.communities.end(), v) !=
               actions.communities.end();
      });
      break;
  }
  if (actions.med) attrs.med = actions.med;
  if (actions.local_pref) attrs.local_pref = actions.local_pref;
  if (actions.prepend_count > 0) {
    if (!attrs.as_path) attrs.as_path = AsPath{};
    attrs.as_path->prepend(actions.prepend_asn, actions.prepend_count);
  }
  if (actions.next_hop_self) {
    attrs.next_hop = ctx.local_address;
    attrs.link_local_next_hop.reset();
  } else if (actions.next_hop) {
    attrs.next_hop = actions.next_hop;
    attrs.link_local_next_hop.reset();
  }
}

bool BoundStatement::matches(const RouteView& route) const {
  const Conditions& c = statement->conditions;
  if (prefix_set != nullptr &&
      prefix_set->matches(route.prefix) != (c.prefix_option == MatchOption::kAny)) {
    return false;
  }
  if (neighbor_set != nullptr &&
      neighbor_set->matches(route.neighbor) != (c.neighbor_option == MatchOption::kAny)) {
    return false;
  }
  if (c.source && *c.source != route.source) return false;
  if (c.origin && (route.attrs == nullptr || route.attrs->origin != c.origin)) return false;
  return true;
}

}  // namespace kr::bgp::policy
