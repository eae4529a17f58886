// A metric with label names: one child value per distinct set of label values (client_golang's
// CounterVec/GaugeVec/HistogramVec).
#pragma once

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "observe/metric_snapshot.h"
#include "observe/metric_values.h"

namespace kr::observe {

// Orders label-value lists lexicographically; transparent so lookups with string_views do not
// allocate on the hot path.
struct LabelValuesLess {
  using is_transparent = void;
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return std::lexicographical_compare(
        a.begin(), a.end(), b.begin(), b.end(),
        [](std::string_view x, std::string_view y) { return x < y; });
  }
};

// T is Counter, Gauge or Histogram. Children are shared so a caller may keep one across calls;
// after remove() or reset() such a kept child is detached (its updates are no longer exposed),
// which is client_golang's behaviour too.
template <typename T>
class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names,
         std::function<std::shared_ptr<T>()> make_child);
  Family(const Family&) = delete;
  Family& operator=(const Family&) = delete;

  // The child for these label values (created at zero on first use). Throws
  // std::invalid_argument naming the metric if the number of values differs from the number of
  // label names: that is a programming error, not bad input.
  std::shared_ptr<T> with_labels(std::initializer_list<std::string_view> values);
  std::shared_ptr<T> with_labels(const std::vector<std::string>& values);

  // Drops one child / all children, e.g. kube_router_bgp_peer_info is reset and refilled on
  // every routing loop so vanished peers disappear from the exposition.
  void remove(const std::vector<std::string>& values);
  void reset();

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  FamilySnapshot snapshot() const;

 private:
  template <typename Range>
  std::shared_ptr<T> find_or_create(const Range& values);

  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
  const std::function<std::shared_ptr<T>()> make_child_;
  mutable std::mutex mutex_;
  std::map<std::vector<std::string>, std::shared_ptr<T>, LabelValuesLess> children_;
};

extern template class Family<Counter>;
extern template class Family<Gauge>;
extern template class Family<Histogram>;

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

}  // namespace kr::observe
