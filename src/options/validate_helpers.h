// Internal: checks shared by the validate_*.cpp groups.
#pragma once

#include <chrono>
#include <span>
#include <string>
#include <string_view>

#include "options/validate.h"

namespace kr::options::detail {

// A sync/ticker period must be positive (a non-positive Go ticker panics).
ValidationError require_positive_period(std::string_view flag, std::chrono::nanoseconds period);

// Every entry parses as a CIDR (Go's net.ParseCIDR), in upstream's words:
// "failed to parse --flag parameter: '<v>': invalid CIDR address: <v>".
ValidationError require_cidrs(std::string_view flag, std::span<const std::string> cidrs);

}  // namespace kr::options::detail
