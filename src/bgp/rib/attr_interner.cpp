#include "bgp/rib/attr_interner.h"

namespace kr::bgp::rib {

AttrSetPtr AttrInterner::intern(const AttrSetPtr& attrs) {
  if (!attrs) return attrs;
  auto it = set_.find(attrs.get());
  if (it != set_.end()) return *it;
  if (set_.size() >= collect_at_) {
    collect();
    collect_at_ = std::max<std::size_t>(1024, set_.size() * 2);
  }
  set_.insert(attrs);
  return attrs;
}

AttrSetPtr AttrInterner::intern(PathAttributes&& attrs) {
  auto it = set_.find(&attrs);
  if (it != set_.end()) return *it;
  return intern(std::make_shared<const PathAttributes>(std::move(attrs)));
}

void AttrInterner::collect() {
  std::erase_if(set_, [](const AttrSetPtr& p) { return p.use_count() == 1; });
}

}  // namespace kr::bgp::rib
