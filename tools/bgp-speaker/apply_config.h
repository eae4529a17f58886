// Brings a running speaker from one tool configuration to the next (start
// and SIGHUP reload): neighbors added, changed or removed, export policy
// rebuilt, originated prefixes announced or withdrawn.
#pragma once

#include <string>
#include <vector>

#include "bgp/policy/routing_policy.h"
#include "bgp/speaker/speaker.h"
#include "tool_config.h"

namespace kr::bgp::tool {

// One statement per neighbor with export actions (neighbor-set condition),
// default accept in both directions.
std::variant<policy::PolicyPtr, std::string> build_policy(const ToolConfig& config);

// Returns the problems met (each names the neighbor or prefix); the rest of
// the configuration is applied regardless.
std::vector<std::string> apply_config(speaker::Speaker& speaker, const ToolConfig& from,
                                      const ToolConfig& to);

}  // namespace kr::bgp::tool
