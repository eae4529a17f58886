// Interned immutable strings for the values that repeat across thousands of cached objects:
// namespaces, label keys and values, enumerations such as "TCP" or "ClusterIP".
//
// A handle is one pointer (8 bytes) instead of a 32-byte std::string plus heap text, and equal
// strings share one reference-counted entry. Entries are freed when the last handle goes, so
// churning values (pod-template-hash after every rollout) do not accumulate. Handles are safe to
// copy and destroy on any thread.
#pragma once

#include <compare>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace kr::k8s {

class Interned {
 public:
  Interned() noexcept = default;
  explicit Interned(std::string_view text);
  Interned(const Interned& other) noexcept;
  Interned(Interned&& other) noexcept : entry_(other.entry_) { other.entry_ = nullptr; }
  Interned& operator=(const Interned& other) noexcept;
  Interned& operator=(Interned&& other) noexcept;
  ~Interned();

  std::string_view view() const noexcept;
  std::string str() const { return std::string(view()); }
  bool empty() const noexcept { return view().empty(); }

  friend bool operator==(const Interned& a, const Interned& b) noexcept {
    // Equal text always shares one entry (and "" is the null handle), so identity is equality.
    return a.entry_ == b.entry_;
  }
  friend bool operator==(const Interned& a, std::string_view b) noexcept { return a.view() == b; }
  friend std::strong_ordering operator<=>(const Interned& a, const Interned& b) noexcept {
    return a.view() <=> b.view();
  }
  friend std::strong_ordering operator<=>(const Interned& a, std::string_view b) noexcept {
    return a.view() <=> b;
  }

  // Number of distinct live strings; for tests and the memory benchmark.
  static size_t live_count();

 private:
  struct Entry;
  void release() noexcept;
  Entry* entry_ = nullptr;
};

}  // namespace kr::k8s

template <>
struct std::hash<kr::k8s::Interned> {
  size_t operator()(const kr::k8s::Interned& s) const noexcept {
    return std::hash<std::string_view>{}(s.view());
  }
};
