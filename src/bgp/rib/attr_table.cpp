#include "bgp/rib/attr_table.h"

namespace kr::bgp::rib {

AttrTable::AttrTable() : slots_(1) {}

AttrId AttrTable::acquire(const AttrSetPtr& attrs) {
  if (!attrs) return kNoAttrs;
  auto [it, inserted] = ids_.try_emplace(attrs.get(), kNoAttrs);
  if (inserted) {
    if (!free_.empty()) {
      it->second = free_.back();
      free_.pop_back();
    } else {
      it->second = static_cast<AttrId>(slots_.size());
      slots_.emplace_back();
    }
    slots_[it->second].attrs = attrs;
  }
  ++slots_[it->second].refs;
  return it->second;
}

void AttrTable::retain(AttrId id) {
  if (id != kNoAttrs) ++slots_[id].refs;
}

void AttrTable::release(AttrId id) {
  if (id == kNoAttrs) return;
  Slot& s = slots_[id];
  if (--s.refs > 0) return;
  ids_.erase(s.attrs.get());
  s.attrs.reset();
  free_.push_back(id);
}

}  // namespace kr::bgp::rib
