#include "bgp/rib/export_rewrite.h"

#include <algorithm>

namespace kr::bgp::rib {
namespace {

// Attributes carried opaque that this speaker nonetheless recognises, so
// passing them on does not set Partial.
bool recognised(uint8_t type) {
  return type == static_cast<uint8_t>(AttrType::kExtendedCommunities) ||
         type == static_cast<uint8_t>(AttrType::kIpv6ExtendedCommunities) ||
         type == static_cast<uint8_t>(AttrType::kLargeCommunities);
}

bool contains(const std::vector<uint32_t>& v, uint32_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

bool may_export(const PathAttributes& attrs, const ExportScope& scope) {
  if (scope.source_id == scope.target_id && scope.source != nullptr) return false;
  if (scope.target_external()) {
    return !(attrs.as_path && attrs.as_path->contains(scope.target->asn));
  }
  if (scope.source_internal() && !scope.source->route_reflector_client &&
      !scope.target->route_reflector_client) {
    return false;
  }
  if (scope.target->route_reflector_client && contains(attrs.cluster_list, scope.cluster_id())) {
    return false;
  }
  return true;
}

PathAttributes rewrite_for_export(const PathAttributes& in, const ExportScope& scope) {
  PathAttributes out = in;
  const bool local = scope.source == nullptr;
  std::erase_if(out.other, [](const RawAttribute& a) {
    return (a.flags & kFlagOptional) != 0 && (a.flags & kFlagTransitive) == 0;
  });
  if (!local) {
    for (auto& a : out.other) {
      if (!recognised(a.type)) a.flags |= kFlagPartial;
    }
  }
  const bool explicit_next_hop = out.next_hop && !out.next_hop->is_unspecified();
  if (scope.target_external()) {
    if (!local || !explicit_next_hop) {
      out.next_hop = scope.target->local_address;
      out.link_local_next_hop.reset();
    }
    if (!out.as_path) out.as_path = AsPath{};
    out.as_path->prepend(scope.config->local_as);
    if (!local) out.med.reset();
    out.local_pref.reset();
    out.originator_id.reset();
    out.cluster_list.clear();
    return out;
  }
  if (local && !explicit_next_hop) {
    out.next_hop = scope.target->local_address;
    out.link_local_next_hop.reset();
  }
  if (!out.as_path) out.as_path = AsPath{};
  if (!out.local_pref) out.local_pref = 100;
  if (scope.target->route_reflector_client) {
    if (!out.originator_id) {
      out.originator_id = local ? scope.config->router_id : scope.source->router_id;
    }
    out.cluster_list.insert(out.cluster_list.begin(), scope.cluster_id());
  } else {
    out.originator_id.reset();
    out.cluster_list.clear();
  }
  return out;
}

void finish_for_target(PathAttributes& attrs, const ExportScope& scope) {
  if (scope.target_external()) attrs.local_pref.reset();
}

}  // namespace kr::bgp::rib
