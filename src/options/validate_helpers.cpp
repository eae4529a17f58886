#include "options/validate_helpers.h"

#include <fmt/format.h>

#include "go/duration.h"
#include "go/ip.h"

namespace kr::options::detail {

ValidationError require_positive_period(std::string_view flag, std::chrono::nanoseconds period) {
  if (period.count() > 0) {
    return std::nullopt;
  }
  return fmt::format("--{} must be greater than 0, got {}", flag, go::format_duration(period));
}

ValidationError require_cidrs(std::string_view flag, std::span<const std::string> cidrs) {
  for (const std::string& cidr : cidrs) {
    if (!go::parse_cidr(cidr)) {
      return fmt::format("failed to parse --{} parameter: '{}': invalid CIDR address: {}", flag,
                         cidr, cidr);
    }
  }
  return std::nullopt;
}

}  // namespace kr::options::detail
