// Which objects a list or watch covers: a namespace (or all) plus label and field selectors.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "field_selector.h"
#include "label_selector.h"

namespace kr::apiserver_lite {

struct Selection {
  std::string ns;  // "" selects every namespace (and is the only value for cluster scope)
  LabelSelector labels;
  FieldSelector fields;

  bool matches(const boost::json::object& object) const;
  bool filters() const { return !labels.empty() || !fields.empty(); }
};

}  // namespace kr::apiserver_lite
