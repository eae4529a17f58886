#include "selection.h"

#include "object_meta.h"

namespace kr::apiserver_lite {

bool Selection::matches(const boost::json::object& object) const {
  if (!ns.empty() && meta_string(object, "namespace") != ns) {
    return false;
  }
  return labels.matches([&](std::string_view key) { return label_value(object, key); }) &&
         fields.matches([&](std::string_view label) { return field_value(object, label); });
}

}  // namespace kr::apiserver_lite
