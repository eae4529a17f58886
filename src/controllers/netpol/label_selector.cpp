#include "controllers/netpol/label_selector.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace kr::netpol {

std::optional<std::string> selector_error(const k8s::LabelSelector& selector) {
  for (const k8s::LabelSelectorRequirement& r : selector.match_expressions) {
    if (r.key.empty()) {
      return "matchExpressions: empty key";
    }
    if (r.op == "In" || r.op == "NotIn") {
      if (r.values.empty()) {
        return fmt::format("matchExpressions key {}: operator {} needs values", r.key.view(),
                           r.op.view());
      }
    } else if (r.op == "Exists" || r.op == "DoesNotExist") {
      if (!r.values.empty()) {
        return fmt::format("matchExpressions key {}: operator {} takes no values", r.key.view(),
                           r.op.view());
      }
    } else {
      return fmt::format("matchExpressions key {}: unknown operator '{}'", r.key.view(),
                         r.op.view());
    }
  }
  return std::nullopt;
}

bool selector_matches(const k8s::LabelSelector& selector, const k8s::StringMap& labels) {
  for (const auto& [key, value] : selector.match_labels) {
    const auto have = labels.get(key.view());
    if (!have || *have != value.view()) {
      return false;
    }
  }
  for (const k8s::LabelSelectorRequirement& r : selector.match_expressions) {
    const auto have = labels.get(r.key.view());
    const auto in_values = [&] {
      return have && std::any_of(r.values.begin(), r.values.end(),
                                 [&](const k8s::Interned& v) { return v.view() == *have; });
    };
    if (r.op == "In") {
      if (!in_values()) return false;
    } else if (r.op == "NotIn") {
      if (in_values()) return false;  // a missing key satisfies NotIn
    } else if (r.op == "Exists") {
      if (!have) return false;
    } else if (r.op == "DoesNotExist") {
      if (have) return false;
    } else {
      return false;
    }
  }
  return true;
}

bool selector_is_empty(const k8s::LabelSelector& selector) {
  return selector.match_labels.empty() && selector.match_expressions.empty();
}

std::string canonical_selector(const k8s::LabelSelector& selector) {
  std::string out;
  for (const auto& [key, value] : selector.match_labels) {  // StringMap keeps keys sorted
    fmt::format_to(std::back_inserter(out), "{}={},", key.view(), value.view());
  }
  std::vector<std::string> expressions;
  for (const k8s::LabelSelectorRequirement& r : selector.match_expressions) {
    std::vector<std::string_view> values;
    for (const k8s::Interned& v : r.values) values.push_back(v.view());
    std::sort(values.begin(), values.end());
    expressions.push_back(
        fmt::format("{} {} ({})", r.key.view(), r.op.view(), fmt::join(values, ",")));
  }
  std::sort(expressions.begin(), expressions.end());
  fmt::format_to(std::back_inserter(out), "|{}", fmt::join(expressions, ";"));
  return out;
}

}  // namespace kr::netpol
