#include "observe/metric_snapshot.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace kr::observe {
namespace {

bool is_letter_or_underscore(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool is_valid_metric_name(std::string_view name) {
  if (name.empty() || !(is_letter_or_underscore(name[0]) || name[0] == ':')) {
    return false;
  }
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return is_letter_or_underscore(c) || is_digit(c) || c == ':'; });
}

bool is_valid_label_name(std::string_view name) {
  if (name.empty() || !is_letter_or_underscore(name[0]) || name.starts_with("__")) {
    return false;
  }
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return is_letter_or_underscore(c) || is_digit(c); });
}

std::optional<std::string> validate_family(const FamilySnapshot& family) {
  if (!is_valid_metric_name(family.name)) {
    return fmt::format("invalid metric name \"{}\"", family.name);
  }
  std::set<std::string_view> seen;
  for (const auto& label : family.label_names) {
    if (!is_valid_label_name(label)) {
      return fmt::format("metric {}: invalid label name \"{}\"", family.name, label);
    }
    if (family.type == MetricType::kHistogram && label == "le") {
      return fmt::format("metric {}: histogram cannot use label name \"le\"", family.name);
    }
    if (!seen.insert(label).second) {
      return fmt::format("metric {}: duplicate label name \"{}\"", family.name, label);
    }
  }
  std::set<std::vector<std::string>> label_sets;
  for (const auto& sample : family.samples) {
    if (sample.label_values.size() != family.label_names.size()) {
      return fmt::format("metric {}: sample has {} label values, want {}", family.name,
                         sample.label_values.size(), family.label_names.size());
    }
    if (!label_sets.insert(sample.label_values).second) {
      return fmt::format("metric {}: duplicate sample for label values [{}]", family.name,
                         fmt::join(sample.label_values, ", "));
    }
    if (family.type != MetricType::kHistogram) {
      continue;
    }
    const auto& h = sample.histogram;
    if (h.cumulative_counts.size() != h.upper_bounds.size() ||
        !std::is_sorted(h.cumulative_counts.begin(), h.cumulative_counts.end()) ||
        (!h.cumulative_counts.empty() && h.cumulative_counts.back() > h.count)) {
      return fmt::format("metric {}: histogram buckets are not cumulative", family.name);
    }
    if (std::adjacent_find(h.upper_bounds.begin(), h.upper_bounds.end(),
                           [](double a, double b) { return !(a < b); }) != h.upper_bounds.end() ||
        std::any_of(h.upper_bounds.begin(), h.upper_bounds.end(),
                    [](double b) { return !std::isfinite(b); })) {
      return fmt::format("metric {}: histogram bounds must be finite and increasing", family.name);
    }
  }
  return std::nullopt;
}

}  // namespace kr::observe
