// Label selectors in the Kubernetes string syntax (k8s.io/apimachinery/pkg/labels, as used by the
// labelSelector query parameter): comma-separated requirements, all of which must hold:
//   key=value  key==value  key!=value  key in (a,b)  key notin (a,b)  key  !key  key>1  key<1
// `!=` and `notin` also match objects without the label, as upstream.
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kr::apiserver_lite {

class SelectorError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Returns the value of a label, or nullopt when the object does not carry it.
using LabelLookup = std::function<std::optional<std::string>(std::string_view key)>;

class LabelSelector {
 public:
  enum class Op {
    kEquals,
    kNotEquals,
    kIn,
    kNotIn,
    kExists,
    kDoesNotExist,
    kGreaterThan,
    kLessThan
  };
  struct Requirement {
    std::string key;
    Op op;
    std::vector<std::string> values;
  };

  // Throws SelectorError naming the offending part. An empty string selects everything.
  static LabelSelector parse(std::string_view text);

  bool empty() const { return requirements_.empty(); }
  bool matches(const LabelLookup& lookup) const;
  const std::vector<Requirement>& requirements() const { return requirements_; }

 private:
  std::vector<Requirement> requirements_;
};

// Validation shared with object validation: label keys are qualified names (optional DNS
// subdomain prefix + "/" + name of at most 63 characters), values at most 63 characters of
// [A-Za-z0-9_.-] beginning and ending alphanumeric. Return an error message or "".
std::string validate_label_key(std::string_view key);
std::string validate_label_value(std::string_view value);

}  // namespace kr::apiserver_lite
