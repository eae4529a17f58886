#include "observe/metric_values.h"

#include <algorithm>
#include <cmath>

namespace kr::observe {

void Counter::inc(double amount) {
  if (!(amount >= 0)) {
    return;
  }
  value_.fetch_add(amount, std::memory_order_relaxed);
}

const std::vector<double>& default_buckets() {
  // prometheus.DefBuckets in client_golang.
  static const std::vector<double> buckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return buckets;
}

Histogram::Histogram(std::vector<double> upper_bounds)
    : upper_bounds_(std::move(upper_bounds)),
      bucket_counts_(std::make_unique<std::atomic<std::uint64_t>[]>(upper_bounds_.size() + 1)) {}

void Histogram::observe(double value) {
  if (std::isnan(value)) {
    return;
  }
  // Bucket i holds observations in (bound[i-1], bound[i]]: the "le" (less or equal) rule.
  const auto it = std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value);
  const auto index = static_cast<std::size_t>(it - upper_bounds_.begin());
  bucket_counts_[index].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

HistogramSnapshot Histogram::snapshot() const {
  HistogramSnapshot out;
  out.upper_bounds = upper_bounds_;
  out.cumulative_counts.reserve(upper_bounds_.size());
  std::uint64_t running = 0;
  for (std::size_t i = 0; i < upper_bounds_.size(); ++i) {
    running += bucket_counts_[i].load(std::memory_order_relaxed);
    out.cumulative_counts.push_back(running);
  }
  running += bucket_counts_[upper_bounds_.size()].load(std::memory_order_relaxed);
  out.count = running;
  out.sum = sum_.load(std::memory_order_relaxed);
  return out;
}

}  // namespace kr::observe
