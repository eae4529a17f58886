// Interning of attribute sets: equal PathAttributes share one refcounted
// object, so a million routes with the same attributes cost one copy and
// "same attributes" is a pointer comparison (the UPDATE packer groups by it,
// Adj-RIB-Out change detection relies on it).
#pragma once

#include <unordered_set>

#include "bgp/codec/path_attributes.h"

namespace kr::bgp::rib {

class AttrInterner {
 public:
  // The canonical pointer for `attrs` (null stays null).
  AttrSetPtr intern(const AttrSetPtr& attrs);
  AttrSetPtr intern(PathAttributes&& attrs);

  // Drops sets nobody else references any more. Called periodically (the RIB
  // does it when the table has doubled since the last sweep).
  void collect();
  std::size_t size() const { return set_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(const AttrSetPtr& p) const { return p->hash(); }
    std::size_t operator()(const PathAttributes* p) const { return p->hash(); }
  };
  struct Equal {
    using is_transparent = void;
    bool operator()(const AttrSetPtr& a, const AttrSetPtr& b) const { return *a == *b; }
    bool operator()(const PathAttributes* a, const AttrSetPtr& b) const { return *a == *b; }
    bool operator()(const AttrSetPtr& a, const PathAttributes* b) const { return *a == *b; }
  };
  std::unordered_set<AttrSetPtr, Hash, Equal> set_;
  std::size_t collect_at_ = 1024;
};

}  // namespace kr::bgp::rib
