// Defined sets that policy conditions refer to by name (GoBGP's model, which
// kube-router configures: routing.md §7.2).
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

#include "bgp/codec/ip.h"

namespace kr::bgp::policy {

// Prefixes with mask-length ranges: "10.0.0.0/8 8..32" matches 10.0.0.0/8 and
// every more specific prefix inside it; "10.0.0.0/8 8..8" only itself.
class PrefixSet {
 public:
  explicit PrefixSet(std::string name) : name_(std::move(name)) {}

  // An exact prefix (mask length range len..len).
  void add(const IpPrefix& prefix);
  // Returns false (and adds nothing) unless len <= min_len <= max_len <=
  // family maximum.
  bool add(const IpPrefix& prefix, uint8_t min_len, uint8_t max_len);

  bool matches(const IpPrefix& prefix) const;
  bool empty() const { return exact_.empty() && ranges_.empty(); }
  std::size_t size() const { return exact_.size() + ranges_.size(); }
  const std::string& name() const { return name_; }

 private:
  struct Range {
    IpPrefix prefix;
    uint8_t min_len;
    uint8_t max_len;
  };
  std::string name_;
  // Exact entries (the bulk: one per service VIP) are a hash lookup.
  std::unordered_set<IpPrefix> exact_;
  std::vector<Range> ranges_;
};

// Neighbor addresses or prefixes ("10.0.1.10/32").
class NeighborSet {
 public:
  explicit NeighborSet(std::string name) : name_(std::move(name)) {}

  void add(const IpPrefix& prefix) { entries_.push_back(prefix); }
  void add(const IpAddress& address) { entries_.push_back(IpPrefix::host(address)); }

  // An empty set matches no neighbor. (GoBGP matches every neighbor with an
  // empty set, which routing.md §7.2 flags as an upstream quirk; kube-router
  // never builds statements over empty sets.)
  bool matches(const IpAddress& neighbor) const;
  bool empty() const { return entries_.empty(); }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::vector<IpPrefix> entries_;
};

}  // namespace kr::bgp::policy
