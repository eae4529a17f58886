// The firewall the cluster state calls for: per enabled family the owned chains with their
// full content, the hooks, and the owned ipsets with their members. A plain value; the
// applier makes the kernel match it.
#pragma once

#include <array>
#include <optional>
#include <vector>

#include "controllers/netpol/firewall_inputs.h"
#include "kernel/netfilter/filter_plan.h"
#include "kernel/netfilter/ipset_plan.h"

namespace kr::netpol {

struct FamilyRuleset {
  netfilter::DesiredFilter filter;
  netfilter::DesiredIpsets ipsets;
};

struct DesiredState {
  std::array<std::optional<FamilyRuleset>, 2> families;  // nullopt: family not enabled
  std::vector<Problem> problems;                         // sorted
  size_t policy_chains = 0;  // per-policy chains over all families (upstream's gauge)
  size_t policy_ipsets = 0;  // per-policy sets over all families

  std::optional<FamilyRuleset>& family(Family f) { return families[static_cast<int>(f)]; }
  const std::optional<FamilyRuleset>& family(Family f) const {
    return families[static_cast<int>(f)];
  }
};

}  // namespace kr::netpol
