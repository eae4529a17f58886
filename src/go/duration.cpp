#include "go/duration.h"

#include <array>
#include <cstdint>
#include <optional>

namespace kr::go {
namespace {

constexpr std::uint64_t kNanosecond = 1;
constexpr std::uint64_t kMicrosecond = 1000 * kNanosecond;
constexpr std::uint64_t kMillisecond = 1000 * kMicrosecond;
constexpr std::uint64_t kSecond = 1000 * kMillisecond;
constexpr std::uint64_t kMinute = 60 * kSecond;
constexpr std::uint64_t kHour = 60 * kMinute;
constexpr std::uint64_t kTwoPow63 = std::uint64_t{1} << 63;

std::optional<std::uint64_t> unit_nanoseconds(std::string_view unit) {
  if (unit == "ns") return kNanosecond;
  if (unit == "us") return kMicrosecond;
  if (unit == "\u00b5s") return kMicrosecond;  // micro sign
  if (unit == "\u03bcs") return kMicrosecond;  // Greek small letter mu
  if (unit == "ms") return kMillisecond;
  if (unit == "s") return kSecond;
  if (unit == "m") return kMinute;
  if (unit == "h") return kHour;
  return std::nullopt;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The time package's own quote(): like strconv.Quote for ASCII, but every
// byte outside printable ASCII becomes \xNN.
std::string time_quote(std::string_view s) {
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || c < ' ') {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
      continue;
    }
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += ch;
  }
  out += '"';
  return out;
}

DurationParse invalid(std::string_view original) {
  return {std::chrono::nanoseconds{0}, "time: invalid duration " + time_quote(original)};
}

// Consumes leading [0-9]*; nullopt on overflow beyond 2^63.
std::optional<std::uint64_t> leading_int(std::string_view& s) {
  std::uint64_t x = 0;
  std::size_t i = 0;
  for (; i < s.size() && is_digit(s[i]); ++i) {
    if (x > kTwoPow63 / 10) {
      return std::nullopt;
    }
    x = x * 10 + static_cast<std::uint64_t>(s[i] - '0');
    if (x > kTwoPow63) {
      return std::nullopt;
    }
  }
  s.remove_prefix(i);
  return x;
}

struct Fraction {
  std::uint64_t digits = 0;
  double scale = 1;  // value = digits / scale
};

// Consumes leading [0-9]* after a decimal point; stops gaining precision
// (instead of failing) once the digits no longer fit.
Fraction leading_fraction(std::string_view& s) {
  Fraction f;
  bool overflow = false;
  std::size_t i = 0;
  for (; i < s.size() && is_digit(s[i]); ++i) {
    if (overflow) {
      continue;
    }
    if (f.digits > (kTwoPow63 - 1) / 10) {
      overflow = true;
      continue;
    }
    const std::uint64_t y = f.digits * 10 + static_cast<std::uint64_t>(s[i] - '0');
    if (y > kTwoPow63) {
      overflow = true;
      continue;
    }
    f.digits = y;
    f.scale *= 10;
  }
  s.remove_prefix(i);
  return f;
}

}  // namespace

DurationParse parse_duration(std::string_view text) {
  const std::string_view original = text;
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") {
    return {};
  }
  if (s.empty()) {
    return invalid(original);
  }
  std::uint64_t total = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || is_digit(s[0]))) {
      return invalid(original);
    }
    const std::size_t before_int = s.size();
    const std::optional<std::uint64_t> whole = leading_int(s);
    if (!whole) {
      return invalid(original);
    }
    const bool had_int_digits = before_int != s.size();
    Fraction fraction;
    bool had_fraction_digits = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      const std::size_t before_fraction = s.size();
      fraction = leading_fraction(s);
      had_fraction_digits = before_fraction != s.size();
    }
    if (!had_int_digits && !had_fraction_digits) {
      return invalid(original);  // e.g. ".s"
    }
    std::size_t unit_length = 0;
    while (unit_length < s.size() && s[unit_length] != '.' && !is_digit(s[unit_length])) {
      ++unit_length;
    }
    if (unit_length == 0) {
      return {std::chrono::nanoseconds{0},
              "time: missing unit in duration " + time_quote(original)};
    }
    const std::string_view unit_text = s.substr(0, unit_length);
    s.remove_prefix(unit_length);
    const std::optional<std::uint64_t> unit = unit_nanoseconds(unit_text);
    if (!unit) {
      return {std::chrono::nanoseconds{0}, "time: unknown unit " + time_quote(unit_text) +
                                               " in duration " + time_quote(original)};
    }
    std::uint64_t value = *whole;
    if (value > kTwoPow63 / *unit) {
      return invalid(original);
    }
    value *= *unit;
    if (fraction.digits > 0) {
      // Go computes the fractional part in float64, which is exact to the
      // nanosecond for fractions of the largest unit (an hour).
      value += static_cast<std::uint64_t>(static_cast<double>(fraction.digits) *
                                          (static_cast<double>(*unit) / fraction.scale));
      if (value > kTwoPow63) {
        return invalid(original);
      }
    }
    total += value;
    if (total > kTwoPow63) {
      return invalid(original);
    }
  }
  if (negative) {
    // -2^63 is representable: negate in unsigned arithmetic.
    return {std::chrono::nanoseconds{static_cast<std::int64_t>(~total + 1)}, {}};
  }
  if (total > kTwoPow63 - 1) {
    return invalid(original);
  }
  return {std::chrono::nanoseconds{static_cast<std::int64_t>(total)}, {}};
}

namespace {

// Buffer filled from the back, as Go's Duration.format does.
class ReverseWriter {
 public:
  void put(char c) { buf_[--pos_] = c; }
  void put(std::string_view s) {
    // Last character first. (Not std::views::reverse: clang 14 cannot compile it against
    // libstdc++ 12, and the fuzzers build with clang.)
    for (std::size_t i = s.size(); i > 0; --i) {
      put(s[i - 1]);
    }
  }
  // Digits of v without leading zeros ("0" for zero).
  void put_int(std::uint64_t v) {
    if (v == 0) {
      put('0');
      return;
    }
    while (v > 0) {
      put(static_cast<char>('0' + v % 10));
      v /= 10;
    }
  }
  // The fraction v / 10^precision as ".ddd" without trailing zeros (nothing if
  // it is zero); returns the integer part v / 10^precision.
  std::uint64_t put_fraction(std::uint64_t v, int precision) {
    bool print = false;
    for (int i = 0; i < precision; ++i) {
      const auto digit = static_cast<char>(v % 10);
      print = print || digit != 0;
      if (print) {
        put(static_cast<char>('0' + digit));
      }
      v /= 10;
    }
    if (print) {
      put('.');
    }
    return v;
  }
  [[nodiscard]] std::string str() const { return {buf_.data() + pos_, buf_.size() - pos_}; }

 private:
  std::array<char, 40> buf_{};  // the longest output is 2562047h47m16.854775808s plus sign
  std::size_t pos_ = buf_.size();
};

}  // namespace

std::string format_duration(std::chrono::nanoseconds duration) {
  const std::int64_t d = duration.count();
  const bool negative = d < 0;
  auto u = static_cast<std::uint64_t>(d);
  if (negative) {
    u = ~u + 1;
  }
  ReverseWriter w;
  if (u < kSecond) {
    // Below one second Go switches to the smallest fitting unit: 1.2ms, 3µs.
    w.put('s');
    int precision = 0;
    if (u == 0) {
      w.put('0');
      return w.str();
    }
    if (u < kMicrosecond) {
      w.put('n');
    } else if (u < kMillisecond) {
      precision = 3;
      w.put("\u00b5");
    } else {
      precision = 6;
      w.put('m');
    }
    u = w.put_fraction(u, precision);
    w.put_int(u);
  } else {
    w.put('s');
    u = w.put_fraction(u, 9);
    w.put_int(u % 60);  // seconds
    u /= 60;
    if (u > 0) {
      w.put('m');
      w.put_int(u % 60);  // minutes
      u /= 60;
      if (u > 0) {
        // Go stops at hours: days have no fixed length.
        w.put('h');
        w.put_int(u);
      }
    }
  }
  if (negative) {
    w.put('-');
  }
  return w.str();
}

}  // namespace kr::go
