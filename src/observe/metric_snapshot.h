// The values of one metric family at scrape time: what the registry and the
// scrape-time collectors produce and what the exposition renders.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kr::observe {

enum class MetricType { kCounter, kGauge, kHistogram };

struct HistogramSnapshot {
  // Finite upper bounds in ascending order; the +Inf bucket is implicit and equals `count`.
  std::vector<double> upper_bounds{};
  // Observations <= upper_bounds[i] (cumulative, as the exposition format wants them).
  std::vector<std::uint64_t> cumulative_counts{};
  std::uint64_t count = 0;
  double sum = 0;
};

struct SampleSnapshot {
  // One value per label name of the family, in the family's order.
  std::vector<std::string> label_values{};
  double value = 0;               // counters and gauges
  HistogramSnapshot histogram{};  // histograms only
};

struct FamilySnapshot {
  std::string name{};
  std::string help{};
  MetricType type = MetricType::kGauge;
  std::vector<std::string> label_names{};
  std::vector<SampleSnapshot> samples{};
};

// Prometheus data model names (https://prometheus.io/docs/concepts/data_model/):
// metric names [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]* and not starting
// with "__" (reserved for Prometheus itself).
bool is_valid_metric_name(std::string_view name);
bool is_valid_label_name(std::string_view name);

// Checks what a collector produced before it is exposed: names, label arity, histogram shape,
// and that "le" is not used as a histogram label (the exposition adds it). Returns a one-line
// reason naming the family when the snapshot is unusable.
std::optional<std::string> validate_family(const FamilySnapshot& family);

}  // namespace kr::observe
