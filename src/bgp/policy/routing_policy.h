// The routing policy of a speaker: defined sets, named policies made of
// statements, and the import and export assignments with their defaults.
//
// Evaluation follows GoBGP: the assigned policies are walked in order and
// within each its statements in order; a matching statement applies its
// attribute actions, and if it carries accept or reject that ends the walk.
// When no statement decides, the direction's default applies (kube-router:
// import accept, export reject; routing.md §7.1).
//
// A RoutingPolicy is immutable once built: to change sets or statements, build
// a new one and hand it to the RIB (which re-evaluates its routes).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "bgp/policy/defined_sets.h"
#include "bgp/policy/statement.h"

namespace kr::bgp::policy {

enum class Direction : uint8_t { kImport, kExport };

struct Policy {
  std::string name;
  std::vector<Statement> statements;
};

// The outcome of evaluating one route. `applied` has bit i set for each
// statement (flattened across the direction's policies) whose actions must be
// applied, so equal decisions on equal attributes give equal results: the RIB
// caches apply() by (attributes, applied).
struct Decision {
  bool accept = false;
  uint64_t applied = 0;
};

// At most this many statements may be assigned per direction (the bitmask
// above); kube-router uses fewer than ten.
inline constexpr std::size_t kMaxStatementsPerDirection = 64;

struct PolicyConfig {
  std::vector<PrefixSet> prefix_sets;
  std::vector<NeighborSet> neighbor_sets;
  std::vector<Policy> policies;
  std::vector<std::string> import_policies;  // names, in evaluation order
  bool import_default_accept = true;
  std::vector<std::string> export_policies;
  bool export_default_accept = true;
};

class RoutingPolicy {
 public:
  // Validates names and references; on error returns a message naming the
  // offending policy, statement or set.
  static std::variant<std::shared_ptr<const RoutingPolicy>, std::string> build(PolicyConfig config);
  // Accepts everything in both directions (RR servers: routing.md §7.1).
  static std::shared_ptr<const RoutingPolicy> accept_all();

  Decision evaluate(Direction dir, const RouteView& route) const;
  // The attributes after the actions selected by `applied` (from evaluate()).
  // Returns `attrs` itself when no action changes anything.
  AttrSetPtr apply(Direction dir, uint64_t applied, const AttrSetPtr& attrs,
                   const ActionContext& ctx) const;

  const PolicyConfig& config() const { return config_; }

  // Statements point into config_: never copied.
  RoutingPolicy(const RoutingPolicy&) = delete;
  RoutingPolicy& operator=(const RoutingPolicy&) = delete;

 private:
  RoutingPolicy() = default;
  struct DirectionTable {
    std::vector<BoundStatement> statements;
    bool default_accept = true;
  };
  const DirectionTable& table(Direction dir) const {
    return dir == Direction::kImport ? import_ : export_;
  }

  PolicyConfig config_;
  std::map<std::string, const PrefixSet*> prefix_sets_;
  std::map<std::string, const NeighborSet*> neighbor_sets_;
  DirectionTable import_;
  DirectionTable export_;
};

using PolicyPtr = std::shared_ptr<const RoutingPolicy>;

}  // namespace kr::bgp::policy
