#include "bgp/codec/path_attributes.h"

#include <fmt/format.h>

namespace kr::bgp {
namespace {

std::size_t mix(std::size_t h, std::size_t v) {
  return h ^ (v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2));
}

std::string router_id_string(uint32_t id) { return IpAddress::v4_from_u32(id).to_string(); }

}  // namespace

const char* origin_letter(Origin o) {
  switch (o) {
    case Origin::kIgp:
      return "i";
    case Origin::kEgp:
      return "e";
    case Origin::kIncomplete:
      return "?";
  }
  return "?";
}

std::string community_to_string(uint32_t c) { return fmt::format("{}:{}", c >> 16, c & 0xFFFF); }

std::size_t PathAttributes::hash() const {
  std::size_t h = 0;
  h = mix(h, origin ? static_cast<std::size_t>(*origin) + 1 : 0);
  if (as_path) {
    for (const auto& s : as_path->segments) {
      h = mix(h, static_cast<std::size_t>(s.type));
      for (uint32_t a : s.asns) h = mix(h, a);
    }
  }
  if (next_hop) h = mix(h, std::hash<IpAddress>{}(*next_hop));
  if (link_local_next_hop) h = mix(h, std::hash<IpAddress>{}(*link_local_next_hop));
  h = mix(h, med ? *med + 1ULL : 0);
  h = mix(h, local_pref ? *local_pref + 1ULL : 0);
  h = mix(h, static_cast<std::size_t>(atomic_aggregate));
  if (aggregator) h = mix(h, mix(aggregator->asn, aggregator->address));
  for (uint32_t c : communities) h = mix(h, c);
  h = mix(h, originator_id ? *originator_id + 1ULL : 0);
  for (uint32_t c : cluster_list) h = mix(h, c);
  for (const auto& a : other) h = mix(h, hash_bytes(a.value.data(), a.value.size(), a.type));
  return h;
}

std::string PathAttributes::to_string() const {
  std::string s;
  auto add = [&s](const std::string& part) {
    if (!s.empty()) s += ' ';
    s += part;
  };
  if (origin) add(fmt::format("origin={}", origin_letter(*origin)));
  if (as_path) add(fmt::format("as_path=[{}]", as_path->to_string()));
  if (next_hop) add("next_hop=" + next_hop->to_string());
  if (med) add(fmt::format("med={}", *med));
  if (local_pref) add(fmt::format("local_pref={}", *local_pref));
  if (atomic_aggregate) add("atomic_aggregate");
  if (aggregator) {
    add(fmt::format("aggregator={}:{}", aggregator->asn, router_id_string(aggregator->address)));
  }
  if (!communities.empty()) {
    std::string c;
    for (uint32_t v : communities) c += (c.empty() ? "" : ",") + community_to_string(v);
    add("communities=" + c);
  }
  if (originator_id) add("originator_id=" + router_id_string(*originator_id));
  if (!cluster_list.empty()) {
    std::string c;
    for (uint32_t v : cluster_list) c += (c.empty() ? "" : ",") + router_id_string(v);
    add("cluster_list=" + c);
  }
  for (const auto& a : other) add(fmt::format("attr{}({} bytes)", a.type, a.value.size()));
  return s;
}

AttrSetPtr with_next_hop(const AttrSetPtr& attrs, const IpAddress& next_hop,
                         const std::optional<IpAddress>& link_local) {
  if (attrs && attrs->next_hop == next_hop && attrs->link_local_next_hop == link_local) {
    return attrs;
  }
  auto copy = attrs ? std::make_shared<PathAttributes>(*attrs) : std::make_shared<PathAttributes>();
  copy->next_hop = next_hop;
  copy->link_local_next_hop = link_local;
  return copy;
}

}  // namespace kr::bgp
