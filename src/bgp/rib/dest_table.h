// Storage of one family's Loc-RIB (which doubles as the Adj-RIB-In): every
// prefix's paths, at 16 bytes a path plus the prefix.
//
// Nearly every prefix has exactly one path (one peer announces it), so the
// first path is stored inline in the prefix table and only a prefix with
// several paths (a route reflector client, a cluster IP announced by every
// node) gets a side record for the others and for its best path. A single
// path is best exactly when it is eligible, so it needs no best index.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "bgp/rib/attr_table.h"
#include "bgp/rib/prefix_table.h"
#include "bgp/rib/types.h"

namespace kr::bgp::rib {

struct StoredPath {
  AttrId attrs = kNoAttrs;     // after import policy; kNoAttrs when rejected
  AttrId received = kNoAttrs;  // as received
  uint32_t age = 0;            // arrival order; lower is older
  // PeerIds are slots in the RIB's peer list, far below 2^30.
  uint32_t peer : 30 = kLocalPeer;
  uint32_t stale : 1 = 0;  // RFC 4724 §4.2: kept across the peer's restart
  // On a prefix's first path only: the prefix has a side record.
  uint32_t has_more : 1 = 0;

  bool eligible() const { return attrs != kNoAttrs; }
};
static_assert(sizeof(StoredPath) == 16);

template <class P>
class DestTable {
 public:
  static constexpr std::size_t npos = PrefixTable<P, StoredPath>::npos;

  std::size_t size() const { return table_.size(); }
  const P& prefix(std::size_t pos) const { return table_.key(pos); }
  std::size_t find(const P& prefix) const { return table_.find(prefix); }
  // Position of `prefix`, created with `first` as its only path if absent.
  std::pair<std::size_t, bool> find_or_insert(const P& prefix, const StoredPath& first) {
    auto r = table_.find_or_insert(prefix);
    if (r.second) table_.value(r.first) = first;
    return r;
  }

  // Paths keep their arrival order; a replaced path keeps its place.
  std::size_t path_count(std::size_t pos) const {
    const StoredPath& first = table_.value(pos);
    return first.has_more ? 1 + more(pos).paths.size() : 1;
  }
  StoredPath& path(std::size_t pos, std::size_t i) {
    return i == 0 ? table_.value(pos) : more(pos).paths[i - 1];
  }
  const StoredPath& path(std::size_t pos, std::size_t i) const {
    return i == 0 ? table_.value(pos) : more(pos).paths[i - 1];
  }

  void append(std::size_t pos, const StoredPath& p) {
    StoredPath& first = table_.value(pos);
    if (!first.has_more) {
      more_[prefix(pos)] = More{{}, first.eligible() ? 0 : -1};
      first.has_more = 1;
    }
    more(pos).paths.push_back(p);
  }

  // Removes path i. When it was the prefix's only path the prefix goes too
  // (and the last prefix moves to `pos`): returns false then.
  bool erase_path(std::size_t pos, std::size_t i) {
    StoredPath& first = table_.value(pos);
    if (!first.has_more) {
      table_.erase_at(pos);
      return false;
    }
    auto it = more_.find(prefix(pos));
    std::vector<StoredPath>& rest = it->second.paths;
    if (i == 0) {
      first = rest.front();
      first.has_more = 1;
      rest.erase(rest.begin());
    } else {
      rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(i - 1));
    }
    if (rest.empty()) {
      more_.erase(it);
      first.has_more = 0;
    }
    return true;
  }

  // Index of the best path, -1 when none is eligible.
  int32_t best(std::size_t pos) const {
    const StoredPath& first = table_.value(pos);
    if (first.has_more) return more(pos).best;
    return first.eligible() ? 0 : -1;
  }
  const StoredPath* best_path(std::size_t pos) const {
    const int32_t b = best(pos);
    return b < 0 ? nullptr : &path(pos, static_cast<std::size_t>(b));
  }
  // Records the decision process's choice (implied for a single path).
  void set_best(std::size_t pos, int32_t index) {
    if (table_.value(pos).has_more) more(pos).best = index;
  }

 private:
  struct More {
    std::vector<StoredPath> paths;  // the second and later paths
    int32_t best = -1;              // over all paths, first included
  };
  More& more(std::size_t pos) { return more_.find(prefix(pos))->second; }
  const More& more(std::size_t pos) const { return more_.find(prefix(pos))->second; }

  PrefixTable<P, StoredPath> table_;
  std::unordered_map<P, More> more_;
};

}  // namespace kr::bgp::rib
