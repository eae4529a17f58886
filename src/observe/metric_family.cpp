#include "observe/metric_family.h"

#include <fmt/format.h>

#include <stdexcept>
#include <type_traits>

namespace kr::observe {

template <typename T>
Family<T>::Family(std::string name, std::string help, std::vector<std::string> label_names,
                  std::function<std::shared_ptr<T>()> make_child)
    : name_(std::move(name)),
      help_(std::move(help)),
      label_names_(std::move(label_names)),
      make_child_(std::move(make_child)) {}

template <typename T>
template <typename Range>
std::shared_ptr<T> Family<T>::find_or_create(const Range& values) {
  if (values.size() != label_names_.size()) {
    throw std::invalid_argument(fmt::format("metric {}: got {} label values, want {}", name_,
                                            values.size(), label_names_.size()));
  }
  std::lock_guard lock(mutex_);
  auto it = children_.find(values);
  if (it == children_.end()) {
    it = children_.emplace(std::vector<std::string>(values.begin(), values.end()), make_child_())
             .first;
  }
  return it->second;
}

template <typename T>
std::shared_ptr<T> Family<T>::with_labels(std::initializer_list<std::string_view> values) {
  return find_or_create(values);
}

template <typename T>
std::shared_ptr<T> Family<T>::with_labels(const std::vector<std::string>& values) {
  return find_or_create(values);
}

template <typename T>
void Family<T>::remove(const std::vector<std::string>& values) {
  std::lock_guard lock(mutex_);
  children_.erase(values);
}

template <typename T>
void Family<T>::reset() {
  std::lock_guard lock(mutex_);
  children_.clear();
}

template <typename T>
FamilySnapshot Family<T>::snapshot() const {
  FamilySnapshot out;
  out.name = name_;
  out.help = help_;
  out.label_names = label_names_;
  if constexpr (std::is_same_v<T, Counter>) {
    out.type = MetricType::kCounter;
  } else if constexpr (std::is_same_v<T, Gauge>) {
    out.type = MetricType::kGauge;
  } else {
    out.type = MetricType::kHistogram;
  }
  std::lock_guard lock(mutex_);
  out.samples.reserve(children_.size());
  for (const auto& [values, child] : children_) {
    SampleSnapshot sample;
    sample.label_values = values;
    if constexpr (std::is_same_v<T, Histogram>) {
      sample.histogram = child->snapshot();
    } else {
      sample.value = child->value();
    }
    out.samples.push_back(std::move(sample));
  }
  return out;
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

}  // namespace kr::observe
