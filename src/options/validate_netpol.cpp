#include <fmt/format.h>

#include "go/strconv.h"
#include "options/validate.h"
#include "options/validate_helpers.h"

namespace kr::options {

NodePortRangeParse parse_service_node_port_range(std::string_view text) {
  NodePortRangeParse result;
  // ^([0-9]+)[:-]([0-9]+)$
  const std::size_t separator = text.find_first_of(":-");
  const auto all_digits = [](std::string_view s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if (separator == std::string_view::npos || !all_digits(text.substr(0, separator)) ||
      !all_digits(text.substr(separator + 1))) {
    result.error = fmt::format(
        "failed to parse node port range given: '{}' please see specification in help text", text);
    return result;
  }
  const go::Parsed<std::uint64_t> first = go::parse_uint(text.substr(0, separator), 10, 16);
  if (!first.ok()) {
    result.error = fmt::format("could not parse first port number from range given: '{}'", text);
    return result;
  }
  const go::Parsed<std::uint64_t> last = go::parse_uint(text.substr(separator + 1), 10, 16);
  if (!last.ok()) {
    result.error = fmt::format("could not parse second port number from range given: '{}'", text);
    return result;
  }
  if (first.value >= last.value) {
    result.error =
        fmt::format("port 1 is greater than or equal to port 2 in range given: '{}'", text);
    return result;
  }
  result.range = {static_cast<std::uint16_t>(first.value), static_cast<std::uint16_t>(last.value)};
  return result;
}

ValidationError validate_netpol(const Config& config) {
  // Upstream does not check the period: a non-positive ticker period panics.
  if (auto error =
          detail::require_positive_period("iptables-sync-period", config.iptables_sync_period)) {
    return error;
  }
  // Upstream parses the node-port range only when it builds the firewall
  // (--run-firewall); an invalid range is harmless otherwise. Callers keep
  // that by calling this only for the firewall.
  const NodePortRangeParse range = parse_service_node_port_range(config.service_node_port_range);
  if (!range.ok()) {
    return "invalid --service-node-port-range: " + range.error;
  }
  return std::nullopt;
}

}  // namespace kr::options
