// Field selectors (k8s.io/apimachinery/pkg/fields): comma-separated `label=value`,
// `label==value` or `label!=value` terms, backslash escapes `\,` `\=` `\\` in values. Which labels
// a resource supports is the resource's business (see ResourceType::supports_field_label).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "label_selector.h"  // SelectorError

namespace kr::apiserver_lite {

// Returns the value of a field label for an object ("" when the field is unset).
using FieldLookup = std::function<std::string(std::string_view label)>;

class FieldSelector {
 public:
  struct Term {
    std::string label;
    bool negated = false;  // `!=`
    std::string value;
  };

  // Throws SelectorError on syntax errors.
  static FieldSelector parse(std::string_view text);

  bool empty() const { return terms_.empty(); }
  bool matches(const FieldLookup& lookup) const;
  const std::vector<Term>& terms() const { return terms_; }

 private:
  std::vector<Term> terms_;
};

}  // namespace kr::apiserver_lite
