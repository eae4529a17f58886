// The set of metrics one process exposes: registered families plus collectors that produce
// samples at scrape time (process stats, IPVS service stats). Names are used as given; callers
// include the kube_router_ namespace themselves.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "observe/metric_family.h"
#include "observe/metric_snapshot.h"
#include "observe/metric_values.h"

namespace kr::observe {

// Produces families at scrape time. Runs on the thread serving the scrape, so it must be quick
// and thread safe. Exceptions are caught and logged; the rest of the scrape still succeeds.
using Collector = std::function<std::vector<FamilySnapshot>()>;

class CollectorTable;

// Keeps a collector registered while alive. Destroying it waits for a scrape that is running
// the collector to finish, so the collector may capture objects that die right after the handle.
// (A collector must therefore not destroy its own handle.)
class [[nodiscard]] CollectorHandle {
 public:
  CollectorHandle() = default;
  CollectorHandle(std::weak_ptr<CollectorTable> table, std::uint64_t id);
  CollectorHandle(CollectorHandle&& other) noexcept;
  CollectorHandle& operator=(CollectorHandle&& other) noexcept;
  ~CollectorHandle();

 private:
  void release();

  std::weak_ptr<CollectorTable> table_;
  std::uint64_t id_ = 0;
};

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Registering a name again with the same type, help, labels (and buckets) returns the
  // existing metric, so independent components can share one. Any difference, or a name that is
  // not a valid Prometheus name, throws std::invalid_argument naming the metric. References stay
  // valid for the registry's lifetime.
  Counter& counter(std::string_view name, std::string_view help);
  Gauge& gauge(std::string_view name, std::string_view help);
  Histogram& histogram(std::string_view name, std::string_view help,
                       const std::vector<double>& buckets = default_buckets());

  // Labelled families; label_names must be non-empty (use the functions above otherwise).
  CounterFamily& counter_family(std::string_view name, std::string_view help,
                                std::vector<std::string> label_names);
  GaugeFamily& gauge_family(std::string_view name, std::string_view help,
                            std::vector<std::string> label_names);
  HistogramFamily& histogram_family(std::string_view name, std::string_view help,
                                    std::vector<std::string> label_names,
                                    const std::vector<double>& buckets = default_buckets());

  CollectorHandle add_collector(Collector collector);

  // Everything to expose, sorted by family name, samples sorted by label values. Families with
  // no samples are left out (a labelled family nobody has used yet). A collector family that
  // is invalid or reuses a name already present is dropped and logged.
  std::vector<FamilySnapshot> collect() const;

 private:
  using AnyFamily = std::variant<std::unique_ptr<CounterFamily>, std::unique_ptr<GaugeFamily>,
                                 std::unique_ptr<HistogramFamily>>;
  struct Entry {
    AnyFamily family{};
    std::vector<double> buckets{};  // histograms only; part of the registration identity
  };

  template <typename T>
  Family<T>& register_family(std::string_view name, std::string_view help,
                             std::vector<std::string> label_names,
                             const std::vector<double>& buckets);

  mutable std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> families_;
  std::shared_ptr<CollectorTable> collectors_;
};

}  // namespace kr::observe
