// Counter, gauge and histogram values. Updates are lock-free atomics so controllers can record
// from their worker threads on every sync without contention with scrapes.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "observe/metric_snapshot.h"

namespace kr::observe {

// Monotonic total (Prometheus counter). Starts at 0.
class Counter {
 public:
  // Negative or NaN amounts are ignored: a counter only goes up (Prometheus data model), and a
  // bad amount from a caller must not corrupt the series or crash the daemon.
  void inc(double amount = 1);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Value that can go up and down (Prometheus gauge). Starts at 0.
class Gauge {
 public:
  void set(double value) { value_.store(value, std::memory_order_relaxed); }
  void add(double amount) { value_.fetch_add(amount, std::memory_order_relaxed); }
  void inc() { add(1); }
  void dec() { add(-1); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Prometheus client default buckets, in seconds: 0.005 ... 10.
const std::vector<double>& default_buckets();

// Distribution of observations in fixed buckets (Prometheus histogram). kube-router's
// histograms observe durations in seconds.
class Histogram {
 public:
  // `upper_bounds` must be finite and strictly increasing (the registry checks this).
  explicit Histogram(std::vector<double> upper_bounds);

  // NaN observations are ignored: they would poison _sum for the life of the process.
  void observe(double value);
  void observe(std::chrono::nanoseconds duration) {
    observe(std::chrono::duration<double>(duration).count());
  }

  // Consistent enough for exposition: the +Inf count is the sum of the buckets read, so
  // _count always equals the +Inf bucket even while observations race with the scrape.
  HistogramSnapshot snapshot() const;

 private:
  std::vector<double> upper_bounds_;
  // One slot per finite bound plus the overflow (+Inf) slot; not cumulative.
  std::unique_ptr<std::atomic<std::uint64_t>[]> bucket_counts_;
  std::atomic<double> sum_{0};
};

}  // namespace kr::observe
