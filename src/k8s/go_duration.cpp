#include "k8s/go_duration.h"

#include <fmt/format.h>

#include <cstdint>

namespace kr::k8s {
namespace {

// "<whole>[.<fraction without trailing zeros>]" of value / 10^digits.
std::string with_fraction(uint64_t value, int digits) {
  uint64_t scale = 1;
  for (int i = 0; i < digits; ++i) {
    scale *= 10;
  }
  std::string out = fmt::format("{}", value / scale);
  std::string frac = fmt::format("{:0{}}", value % scale, digits);
  while (!frac.empty() && frac.back() == '0') {
    frac.pop_back();
  }
  if (!frac.empty()) {
    out += '.' + frac;
  }
  return out;
}

}  // namespace

std::string format_go_duration(std::chrono::nanoseconds d) {
  const int64_t ns = d.count();
  if (ns == 0) {
    return "0s";
  }
  const std::string sign = ns < 0 ? "-" : "";
  // Two's complement: the magnitude of INT64_MIN still fits in uint64_t.
  const uint64_t u = ns < 0 ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
  if (u < 1000) {
    return fmt::format("{}{}ns", sign, u);
  }
  if (u < 1000000) {
    return sign + with_fraction(u, 3) + "µs";
  }
  if (u < 1000000000) {
    return sign + with_fraction(u, 6) + "ms";
  }
  const uint64_t total_seconds = u / 1000000000;
  const uint64_t hours = total_seconds / 3600;
  const uint64_t minutes = (total_seconds / 60) % 60;
  const std::string seconds = with_fraction(u % 60000000000ull, 9) + "s";
  if (hours > 0) {
    return fmt::format("{}{}h{}m{}", sign, hours, minutes, seconds);
  }
  if (minutes > 0) {
    return fmt::format("{}{}m{}", sign, minutes, seconds);
  }
  return sign + seconds;
}

}  // namespace kr::k8s
