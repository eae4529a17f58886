// A small immutable-after-decode string map for labels, selected annotations and selectors.
//
// Objects carry a handful of labels, so a sorted vector of interned pairs is smaller and faster
// than std::map: 16 bytes per entry, shared text, binary search on lookup.
#pragma once

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "k8s/intern.h"

namespace kr::k8s {

class StringMap {
 public:
  using Entry = std::pair<Interned, Interned>;
  using const_iterator = std::vector<Entry>::const_iterator;

  // Inserts or replaces; keeps the entries sorted by key.
  void set(std::string_view key, std::string_view value) {
    auto it = lower(key);
    if (it != entries_.end() && it->first == key) {
      it->second = Interned(value);
    } else {
      entries_.emplace(it, Interned(key), Interned(value));
    }
  }

  std::optional<std::string_view> get(std::string_view key) const {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                               [](const Entry& e, std::string_view k) { return e.first < k; });
    if (it != entries_.end() && it->first == key) {
      return it->second.view();
    }
    return std::nullopt;
  }
  bool contains(std::string_view key) const { return get(key).has_value(); }

  const_iterator begin() const { return entries_.begin(); }
  const_iterator end() const { return entries_.end(); }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  void shrink_to_fit() { entries_.shrink_to_fit(); }

  friend bool operator==(const StringMap& a, const StringMap& b) = default;

 private:
  std::vector<Entry>::iterator lower(std::string_view key) {
    return std::lower_bound(entries_.begin(), entries_.end(), key,
                            [](const Entry& e, std::string_view k) { return e.first < k; });
  }
  std::vector<Entry> entries_;
};

}  // namespace kr::k8s
