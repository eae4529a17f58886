#include "observe/registry.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <set>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "base/log.h"

namespace kr::observe {

class CollectorTable {
 public:
  std::uint64_t add(Collector collector) {
    std::lock_guard lock(mutex_);
    const std::uint64_t id = ++last_id_;
    collectors_.emplace(id, std::move(collector));
    return id;
  }

  void remove(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    collectors_.erase(id);
  }

  // The lock is held while collectors run so remove() cannot return while one is running.
  void run_all(std::vector<FamilySnapshot>& out) {
    std::lock_guard lock(mutex_);
    for (const auto& [id, collector] : collectors_) {
      try {
        auto families = collector();
        out.insert(out.end(), std::make_move_iterator(families.begin()),
                   std::make_move_iterator(families.end()));
      } catch (const std::exception& e) {
        KR_ERROR("metrics collector failed, its samples are missing from this scrape: {}",
                 e.what());
      }
    }
  }

 private:
  std::mutex mutex_;
  std::uint64_t last_id_ = 0;
  std::map<std::uint64_t, Collector> collectors_;
};

CollectorHandle::CollectorHandle(std::weak_ptr<CollectorTable> table, std::uint64_t id)
    : table_(std::move(table)), id_(id) {}

CollectorHandle::CollectorHandle(CollectorHandle&& other) noexcept
    : table_(std::move(other.table_)), id_(std::exchange(other.id_, 0)) {}

CollectorHandle& CollectorHandle::operator=(CollectorHandle&& other) noexcept {
  if (this != &other) {
    release();
    table_ = std::move(other.table_);
    id_ = std::exchange(other.id_, 0);
  }
  return *this;
}

CollectorHandle::~CollectorHandle() { release(); }

void CollectorHandle::release() {
  if (auto table = table_.lock(); table && id_ != 0) {
    table->remove(id_);
  }
  table_.reset();
  id_ = 0;
}

namespace {

const char* type_name(const auto& family) {
  using T = typename std::decay_t<decltype(*family)>;
  if constexpr (std::is_same_v<T, CounterFamily>) {
    return "counter";
  } else if constexpr (std::is_same_v<T, GaugeFamily>) {
    return "gauge";
  } else {
    return "histogram";
  }
}

void check_buckets(std::string_view name, const std::vector<double>& buckets) {
  if (buckets.empty() ||
      std::any_of(buckets.begin(), buckets.end(), [](double b) { return !std::isfinite(b); }) ||
      std::adjacent_find(buckets.begin(), buckets.end(),
                         [](double a, double b) { return !(a < b); }) != buckets.end()) {
    throw std::invalid_argument(
        fmt::format("metric {}: histogram buckets must be finite and strictly increasing", name));
  }
}

}  // namespace

Registry::Registry() : collectors_(std::make_shared<CollectorTable>()) {}

Registry::~Registry() = default;

template <typename T>
Family<T>& Registry::register_family(std::string_view name, std::string_view help,
                                     std::vector<std::string> label_names,
                                     const std::vector<double>& buckets) {
  FamilySnapshot shape{.name = std::string(name), .label_names = label_names};
  if constexpr (std::is_same_v<T, Histogram>) {
    shape.type = MetricType::kHistogram;
    check_buckets(name, buckets);
  }
  if (auto problem = validate_family(shape)) {
    throw std::invalid_argument(*problem);
  }

  std::lock_guard lock(mutex_);
  if (auto it = families_.find(name); it != families_.end()) {
    auto* existing = std::get_if<std::unique_ptr<Family<T>>>(&it->second.family);
    if (existing == nullptr || (*existing)->help() != help ||
        (*existing)->label_names() != label_names || it->second.buckets != buckets) {
      throw std::invalid_argument(fmt::format(
          "metric {} is already registered as a {} with labels [{}] and different help, labels "
          "or buckets",
          name, std::visit([](const auto& f) { return type_name(f); }, it->second.family),
          fmt::join(std::visit([](const auto& f) { return f->label_names(); }, it->second.family),
                    ", ")));
    }
    return **existing;
  }

  std::function<std::shared_ptr<T>()> make_child;
  if constexpr (std::is_same_v<T, Histogram>) {
    make_child = [buckets] { return std::make_shared<Histogram>(buckets); };
  } else {
    make_child = [] { return std::make_shared<T>(); };
  }
  auto family = std::make_unique<Family<T>>(std::string(name), std::string(help),
                                            std::move(label_names), std::move(make_child));
  Family<T>& ref = *family;
  Entry entry{.family = std::move(family)};
  if constexpr (std::is_same_v<T, Histogram>) {
    entry.buckets = buckets;
  }
  families_.emplace(std::string(name), std::move(entry));
  return ref;
}

namespace {

void require_labels(std::string_view name, const std::vector<std::string>& label_names) {
  if (label_names.empty()) {
    throw std::invalid_argument(
        fmt::format("metric {}: a family needs label names; register it without labels", name));
  }
}

}  // namespace

// An unlabelled metric is a family with no label names and its single child created up front,
// so it is exposed as 0 before the first update (as client_golang does). Nothing can remove that
// child: the family itself is not handed out.
Counter& Registry::counter(std::string_view name, std::string_view help) {
  return *register_family<Counter>(name, help, {}, {}).with_labels({});
}

Gauge& Registry::gauge(std::string_view name, std::string_view help) {
  return *register_family<Gauge>(name, help, {}, {}).with_labels({});
}

Histogram& Registry::histogram(std::string_view name, std::string_view help,
                               const std::vector<double>& buckets) {
  return *register_family<Histogram>(name, help, {}, buckets).with_labels({});
}

CounterFamily& Registry::counter_family(std::string_view name, std::string_view help,
                                        std::vector<std::string> label_names) {
  require_labels(name, label_names);
  return register_family<Counter>(name, help, std::move(label_names), {});
}

GaugeFamily& Registry::gauge_family(std::string_view name, std::string_view help,
                                    std::vector<std::string> label_names) {
  require_labels(name, label_names);
  return register_family<Gauge>(name, help, std::move(label_names), {});
}

HistogramFamily& Registry::histogram_family(std::string_view name, std::string_view help,
                                            std::vector<std::string> label_names,
                                            const std::vector<double>& buckets) {
  require_labels(name, label_names);
  return register_family<Histogram>(name, help, std::move(label_names), buckets);
}

CollectorHandle Registry::add_collector(Collector collector) {
  return {collectors_, collectors_->add(std::move(collector))};
}

std::vector<FamilySnapshot> Registry::collect() const {
  std::vector<FamilySnapshot> out;
  std::set<std::string, std::less<>> names;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [name, entry] : families_) {
      names.insert(name);
      auto snapshot = std::visit([](const auto& f) { return f->snapshot(); }, entry.family);
      if (!snapshot.samples.empty()) {
        out.push_back(std::move(snapshot));
      }
    }
  }

  std::vector<FamilySnapshot> collected;
  collectors_->run_all(collected);
  for (auto& family : collected) {
    if (auto problem = validate_family(family)) {
      KR_ERROR("dropping collected metrics: {}", *problem);
      continue;
    }
    if (!names.insert(family.name).second) {
      KR_ERROR("dropping collected metric {}: the name is already exposed", family.name);
      continue;
    }
    std::sort(family.samples.begin(), family.samples.end(),
              [](const SampleSnapshot& a, const SampleSnapshot& b) {
                return a.label_values < b.label_values;
              });
    if (!family.samples.empty()) {
      out.push_back(std::move(family));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const FamilySnapshot& a, const FamilySnapshot& b) { return a.name < b.name; });
  return out;
}

}  // namespace kr::observe
