// Go's time.Duration text form: time.ParseDuration and Duration.String.
//
// kube-router's duration flags (and the BGP holdtime/graceful-restart values
// other modules print) use Go's syntax: a signed sequence of decimal numbers,
// each with an optional fraction and a unit (ns, us/µs/μs, ms, s, m, h), e.g.
// "300ms", "1.5h", "2h45m", "-1s"; a bare "0" is allowed. Printing gives the
// canonical form "1m30s", "5m0s", "0s", "1.5µs".
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace kr::go {

struct DurationParse {
  std::chrono::nanoseconds value{0};
  // Go's error text, e.g. `time: invalid duration "abc"`; empty on success.
  std::string error;
  [[nodiscard]] bool ok() const { return error.empty(); }
};

// time.ParseDuration: same accepted syntax, same overflow limits (int64
// nanoseconds), same error messages.
DurationParse parse_duration(std::string_view text);

// time.Duration.String.
std::string format_duration(std::chrono::nanoseconds duration);

}  // namespace kr::go
