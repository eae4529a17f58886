// The prefixes of one family the RIB may hold, for listing it (`kube-router
// bgp rib`, per-neighbor prefix counts). rib::Rib answers lookups by prefix
// but has no iteration, so the speaker notes every prefix it hands to the
// RIB: appended unsorted at 5 or 17 bytes each, sorted, de-duplicated and
// pruned of prefixes the RIB no longer has when listed or when it grows past
// twice the RIB's size. Cheap enough to keep while a million routes arrive.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace kr::bgp::speaker {

template <class P>
class PrefixIndex {
 public:
  void add(const P& prefix) { prefixes_.push_back(prefix); }

  // Keeps the list bounded relative to `rib_size` (the RIB's prefix count).
  template <class Exists>
  void maybe_compact(std::size_t rib_size, Exists exists) {
    if (prefixes_.size() > 2 * rib_size + 1024) compact(exists);
  }

  // Sorted, unique prefixes for which exists(prefix) holds.
  template <class Exists>
  const std::vector<P>& compact(Exists exists) {
    std::sort(prefixes_.begin(), prefixes_.end());
    prefixes_.erase(std::unique(prefixes_.begin(), prefixes_.end()), prefixes_.end());
    std::erase_if(prefixes_, [&](const P& p) { return !exists(p); });
    prefixes_.shrink_to_fit();
    return prefixes_;
  }

 private:
  std::vector<P> prefixes_;
};

}  // namespace kr::bgp::speaker
