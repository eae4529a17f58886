// 32-bit handles for interned attribute sets, so a stored path costs two
// 4-byte ids instead of two 16-byte shared pointers (a million routes: 24 MB
// saved). Each id is reference counted by the RIB's paths and Adj-RIB-Out
// entries; the table holds one shared pointer per live id and drops it when
// the count reaches zero, which lets AttrInterner::collect() free the set.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "bgp/codec/path_attributes.h"

namespace kr::bgp::rib {

using AttrId = uint32_t;
inline constexpr AttrId kNoAttrs = 0;  // stands for a null AttrSetPtr

class AttrTable {
 public:
  AttrTable();

  // An id for `attrs` holding one reference (kNoAttrs for null). Sets are
  // told apart by address: the RIB only stores interned sets.
  AttrId acquire(const AttrSetPtr& attrs);
  void retain(AttrId id);
  void release(AttrId id);

  const AttrSetPtr& get(AttrId id) const { return slots_[id].attrs; }
  // Live ids (for tests and statistics).
  std::size_t size() const { return ids_.size(); }

 private:
  struct Slot {
    AttrSetPtr attrs;
    uint32_t refs = 0;
  };
  std::vector<Slot> slots_;  // [kNoAttrs] stays null
  std::vector<AttrId> free_;
  std::unordered_map<const PathAttributes*, AttrId> ids_;
};

}  // namespace kr::bgp::rib
