#include "bgp/policy/defined_sets.h"

#include <algorithm>

namespace kr::bgp::policy {

void PrefixSet::add(const IpPrefix& prefix) { exact_.insert(prefix); }

bool PrefixSet::add(const IpPrefix& prefix, uint8_t min_len, uint8_t max_len) {
  if (min_len < prefix.len || min_len > max_len || max_len > prefix.max_len()) return false;
  if (min_len == prefix.len && max_len == prefix.len) {
    exact_.insert(prefix);
  } else {
    ranges_.push_back(Range{prefix, min_len, max_len});
  }
  return true;
}

bool PrefixSet::matches(const IpPrefix& prefix) const {
  if (exact_.contains(prefix)) return true;
  return std::any_of(ranges_.begin(), ranges_.end(), [&](const Range& r) {
    return prefix.len >= r.min_len && prefix.len <= r.max_len && r.prefix.contains(prefix);
  });
}

bool NeighborSet::matches(const IpAddress& neighbor) const {
  return std::any_of(entries_.begin(), entries_.end(),
                     [&](const IpPrefix& p) { return p.contains(neighbor); });
}

}  // namespace kr::bgp::policy
