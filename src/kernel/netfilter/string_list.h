// An immutable list of strings (a chain's rules, a set's members) that copies by reference.
//
// A controller rebuilds its desired firewall on every change, but most chains and sets come out
// of the same memo as last time: the same list, not an equal one. Comparing such lists is then
// one pointer comparison, and keeping "what the kernel has now" is a copy of pointers, so the
// planners' cost follows what changed rather than the size of the firewall.
#pragma once

#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace kr::netfilter {

class StringList {
 public:
  StringList() = default;
  // Implicit: a list is a value, and call sites build them from vectors and braces.
  StringList(std::vector<std::string> items)  // NOLINT(google-explicit-constructor)
      : items_(std::make_shared<std::vector<std::string>>(std::move(items))) {}
  StringList(std::initializer_list<std::string> items)
      : StringList(std::vector<std::string>(items)) {}

  const std::vector<std::string>& items() const { return items_ ? *items_ : empty_list(); }
  operator const std::vector<std::string>&() const {  // NOLINT(google-explicit-constructor)
    return items();
  }
  // The list for changing in place; a list shared with other copies is copied first, so they
  // keep what they had.
  std::vector<std::string>& edit();

  size_t size() const { return items().size(); }
  bool empty() const { return items().empty(); }
  auto begin() const { return items().begin(); }
  auto end() const { return items().end(); }
  const std::string& operator[](size_t i) const { return items()[i]; }
  const std::string& at(size_t i) const { return items().at(i); }
  const std::string& front() const { return items().front(); }
  const std::string& back() const { return items().back(); }

  // Whether both are copies of one list (equal without comparing).
  bool same_as(const StringList& other) const { return items_ == other.items_; }

  friend bool operator==(const StringList& a, const StringList& b) {
    return a.items_ == b.items_ || a.items() == b.items();
  }
  friend bool operator==(const StringList& a, const std::vector<std::string>& b) {
    return a.items() == b;
  }
  // For test failure messages.
  friend void PrintTo(const StringList& list, std::ostream* os);

 private:
  static const std::vector<std::string>& empty_list();

  std::shared_ptr<std::vector<std::string>> items_;  // never changed while shared
};

}  // namespace kr::netfilter
