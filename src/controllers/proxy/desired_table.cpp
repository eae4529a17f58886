#include "controllers/proxy/desired_table.h"

#include <algorithm>
#include <set>

#include "fmt/format.h"

namespace kr::proxy {
namespace {

// ipset prints SCTP ports by name too ("10.0.0.1,sctp:80"), whatever number form was added.
std::string port_member(const VipKey& key) {
  return fmt::format("{},{}:{}", key.address.to_string(), ipvs::to_string(key.protocol), key.port);
}

// Moves one Service's references from `before` to `after` (both sorted and unique);
// `changed` is called for each entry that appeared in or disappeared from the table.
template <class T, class OnChange>
void move_refs(std::map<T, int>& refs, const std::vector<T>& before, const std::vector<T>& after,
               OnChange&& changed) {
  std::vector<T> gone;
  std::vector<T> came;
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(),
                      std::back_inserter(gone));
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                      std::back_inserter(came));
  for (const T& key : gone) {
    if (--refs[key] <= 0) {
      refs.erase(key);
      changed(key);
    }
  }
  for (const T& key : came) {
    if (++refs[key] == 1) {
      changed(key);
    }
  }
}

}  // namespace

void TableDelta::merge(const TableDelta& other) {
  std::vector<VipKey> keys;
  std::set_union(virtual_services.begin(), virtual_services.end(), other.virtual_services.begin(),
                 other.virtual_services.end(), std::back_inserter(keys));
  virtual_services = std::move(keys);
  vips = vips || other.vips;
  service_keys = service_keys || other.service_keys;
  hairpin_v4 = hairpin_v4 || other.hairpin_v4;
  hairpin_v6 = hairpin_v6 || other.hairpin_v6;
  health_checks = health_checks || other.health_checks;
  sloppy_tcp = sloppy_tcp || other.sloppy_tcp;
}

TableDelta DesiredTable::set(const ServiceId& id, ServiceState state) {
  TableDelta delta;
  static const ServiceState kNone;
  const auto old_it = services_.find(id);
  const ServiceState& old = old_it != services_.end() ? old_it->second : kNone;

  // Ownership of the virtual services the old or the new state names.
  std::set<VipKey> touched;
  for (const auto& vs : old.virtual_services) touched.insert(vs.key);
  for (const auto& vs : state.virtual_services) touched.insert(vs.key);
  for (const VipKey& key : touched) {
    const auto by_key = [&](const DesiredVirtualService& vs) { return vs.key == key; };
    const bool before =
        std::any_of(old.virtual_services.begin(), old.virtual_services.end(), by_key);
    const bool after =
        std::any_of(state.virtual_services.begin(), state.virtual_services.end(), by_key);
    auto& owners = owners_[key];
    const auto pos = std::lower_bound(owners.begin(), owners.end(), id);
    if (before && !after) {
      owners.erase(pos);
      delta.service_keys = delta.service_keys || owners.empty();
    } else if (!before && after) {
      delta.service_keys = delta.service_keys || owners.empty();
      owners.insert(pos, id);
    }
    if (owners.empty()) {
      owners_.erase(key);
    }
  }

  move_refs(vip_refs_, old.vips, state.vips, [&](const IpAddress&) { delta.vips = true; });
  move_refs(hairpin_refs_, old.hairpin_rules, state.hairpin_rules, [&](const HairpinRule& r) {
    (r.family == Family::kIPv4 ? delta.hairpin_v4 : delta.hairpin_v6) = true;
  });
  if (old.health_check != state.health_check) {
    delta.health_checks = true;
    if (old.health_check) {
      auto& by_service = health_[old.health_check->port];
      by_service.erase(id);
      if (by_service.empty()) {
        health_.erase(old.health_check->port);
      }
    }
    if (state.health_check) {
      health_[state.health_check->port][id] = state.health_check->local_endpoints;
    }
  }
  if (old.sloppy_tcp != state.sloppy_tcp) {
    const bool before = sloppy_refs_ > 0;
    sloppy_refs_ += state.sloppy_tcp ? 1 : -1;
    delta.sloppy_tcp = before != (sloppy_refs_ > 0);
  }

  if (state.empty()) {
    if (old_it != services_.end()) {
      services_.erase(old_it);
    }
  } else {
    services_[id] = std::move(state);
  }
  for (const VipKey& key : touched) {
    if (remerge(key)) {
      delta.virtual_services.push_back(key);
    }
  }
  return delta;
}

bool DesiredTable::remerge(const VipKey& key) {
  const auto owners = owners_.find(key);
  const auto current = merged_.find(key);
  if (owners == owners_.end()) {
    if (current == merged_.end()) {
      return false;
    }
    merged_.erase(current);
    return true;
  }
  std::optional<DesiredVirtualService> merged;
  for (const ServiceId& owner : owners->second) {
    for (const DesiredVirtualService& vs : services_.at(owner).virtual_services) {
      if (vs.key != key) {
        continue;
      }
      if (!merged) {
        merged = vs;
      } else {
        merged->destinations.insert(merged->destinations.end(), vs.destinations.begin(),
                                    vs.destinations.end());
      }
    }
  }
  if (owners->second.size() > 1) {
    std::sort(merged->destinations.begin(), merged->destinations.end());
    merged->destinations.erase(
        std::unique(merged->destinations.begin(), merged->destinations.end()),
        merged->destinations.end());
  }
  if (current != merged_.end() && current->second == *merged) {
    return false;
  }
  merged_[key] = std::move(*merged);
  return true;
}

const DesiredVirtualService* DesiredTable::find(const VipKey& key) const {
  const auto it = merged_.find(key);
  return it != merged_.end() ? &it->second : nullptr;
}

const ServiceId* DesiredTable::owner(const VipKey& key) const {
  const auto it = owners_.find(key);
  return it != owners_.end() && !it->second.empty() ? &it->second.front() : nullptr;
}

std::vector<IpAddress> DesiredTable::vips() const {
  std::vector<IpAddress> out;
  out.reserve(vip_refs_.size());
  for (const auto& [ip, count] : vip_refs_) out.push_back(ip);
  return out;
}

std::vector<std::string> DesiredTable::hairpin_rules(Family family) const {
  std::vector<std::string> out;
  for (const auto& [rule, count] : hairpin_refs_) {
    if (rule.family == family) out.push_back(rule.rule);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::map<std::uint16_t, std::uint32_t> DesiredTable::health_checks() const {
  std::map<std::uint16_t, std::uint32_t> out;
  for (const auto& [port, by_service] : health_) {
    out[port] = by_service.begin()->second;  // the API gives each Service its own port
  }
  return out;
}

std::vector<std::string> DesiredTable::service_ip_members(Family family) const {
  std::set<std::string> out;
  for (const auto& [key, vs] : merged_) {
    if (family_of(key.address) == family) out.insert(key.address.to_string());
  }
  return {out.begin(), out.end()};
}

std::vector<std::string> DesiredTable::service_port_members(Family family) const {
  std::set<std::string> out;
  for (const auto& [key, vs] : merged_) {
    if (family_of(key.address) == family) out.insert(port_member(key));
  }
  return {out.begin(), out.end()};
}

}  // namespace kr::proxy
