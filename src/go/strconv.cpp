#include "go/strconv.h"

#include <fmt/format.h>

#include <limits>

namespace kr::go {
namespace {

constexpr std::uint64_t kMaxUint64 = std::numeric_limits<std::uint64_t>::max();

std::string num_error(std::string_view func, std::string_view num, std::string_view reason) {
  return fmt::format("strconv.{}: parsing {}: {}", func, quote(num), reason);
}

char lower(char c) { return static_cast<char>(c | ('x' - 'X')); }

// Go's underscoreOK: "_" may only separate digits, or follow a base prefix.
bool underscores_ok(std::string_view s) {
  char saw = '^';  // ^ start, 0 digit or prefix, _ underscore, ! anything else
  std::size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    s.remove_prefix(1);
  }
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0' &&
      (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
    i = 2;
    saw = '0';
    hex = lower(s[1]) == 'x';
  }
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
      saw = '0';
      continue;
    }
    if (c == '_') {
      if (saw != '0') {
        return false;
      }
      saw = '_';
      continue;
    }
    if (saw == '_') {
      return false;
    }
    saw = '!';
  }
  return saw != '_';
}

enum class NumError { kNone, kSyntax, kRange };

struct RawUint {
  std::uint64_t value = 0;
  NumError error = NumError::kNone;
};

// The body of strconv.ParseUint; callers turn the error kind into Go's text.
RawUint parse_uint_raw(std::string_view s, int base, int bit_size) {
  const std::string_view original = s;
  if (s.empty()) {
    return {0, NumError::kSyntax};
  }
  const bool base0 = base == 0;
  if (base0) {
    base = 10;
    if (s[0] == '0') {
      if (s.size() >= 3 && lower(s[1]) == 'b') {
        base = 2;
        s.remove_prefix(2);
      } else if (s.size() >= 3 && lower(s[1]) == 'o') {
        base = 8;
        s.remove_prefix(2);
      } else if (s.size() >= 3 && lower(s[1]) == 'x') {
        base = 16;
        s.remove_prefix(2);
      } else {
        base = 8;
        s.remove_prefix(1);
      }
    }
  }
  const std::uint64_t max_value = bit_size >= 64 ? kMaxUint64 : (std::uint64_t{1} << bit_size) - 1;
  // Smallest n for which n * base overflows 64 bits.
  const std::uint64_t cutoff = kMaxUint64 / static_cast<std::uint64_t>(base) + 1;

  bool underscores = false;
  std::uint64_t n = 0;
  for (const char c : s) {
    unsigned digit = 0;
    if (c == '_' && base0) {
      underscores = true;
      continue;
    }
    if (c >= '0' && c <= '9') {
      digit = static_cast<unsigned>(c - '0');
    } else if (lower(c) >= 'a' && lower(c) <= 'z') {
      digit = static_cast<unsigned>(lower(c) - 'a') + 10;
    } else {
      return {0, NumError::kSyntax};
    }
    if (digit >= static_cast<unsigned>(base)) {
      return {0, NumError::kSyntax};
    }
    if (n >= cutoff) {
      return {max_value, NumError::kRange};
    }
    n *= static_cast<std::uint64_t>(base);
    const std::uint64_t next = n + digit;
    if (next < n || next > max_value) {
      return {max_value, NumError::kRange};
    }
    n = next;
  }
  if (underscores && !underscores_ok(original)) {
    return {0, NumError::kSyntax};
  }
  return {n, NumError::kNone};
}

std::string_view reason(NumError error) {
  return error == NumError::kRange ? "value out of range" : "invalid syntax";
}

}  // namespace

Parsed<std::uint64_t> parse_uint(std::string_view s, int base, int bit_size) {
  const RawUint raw = parse_uint_raw(s, base, bit_size);
  if (raw.error != NumError::kNone) {
    return {raw.value, num_error("ParseUint", s, reason(raw.error))};
  }
  return {raw.value, {}};
}

Parsed<std::int64_t> parse_int(std::string_view s, int base, int bit_size) {
  const std::string_view original = s;
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  // A range error here is not final: the signed range check below decides.
  const RawUint magnitude = parse_uint_raw(s, base, bit_size);
  if (magnitude.error == NumError::kSyntax) {
    return {0, num_error("ParseInt", original, "invalid syntax")};
  }
  const std::uint64_t cutoff = std::uint64_t{1} << (bit_size - 1);
  if (!negative && magnitude.value >= cutoff) {
    return {static_cast<std::int64_t>(cutoff - 1),
            num_error("ParseInt", original, "value out of range")};
  }
  if (negative && magnitude.value > cutoff) {
    return {-static_cast<std::int64_t>(cutoff - 1) - 1,
            num_error("ParseInt", original, "value out of range")};
  }
  // Two's complement negation is well defined on the unsigned value.
  const std::uint64_t bits = negative ? ~magnitude.value + 1 : magnitude.value;
  return {static_cast<std::int64_t>(bits), {}};
}

Parsed<bool> parse_bool(std::string_view s) {
  if (s == "1" || s == "t" || s == "T" || s == "TRUE" || s == "true" || s == "True") {
    return {true, {}};
  }
  if (s == "0" || s == "f" || s == "F" || s == "FALSE" || s == "false" || s == "False") {
    return {false, {}};
  }
  return {false, num_error("ParseBool", s, "invalid syntax")};
}

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not valid.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  std::size_t length = 0;
  std::uint32_t min_code_point = 0;
  std::uint32_t code_point = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
    min_code_point = 0x80;
    code_point = b0 & 0x1Fu;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    min_code_point = 0x800;
    code_point = b0 & 0x0Fu;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    min_code_point = 0x10000;
    code_point = b0 & 0x07u;
  } else {
    return 0;
  }
  if (i + length > s.size()) {
    return 0;
  }
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0u) != 0x80u) {
      return 0;
    }
    code_point = (code_point << 6) | (byte(i + k) & 0x3Fu);
  }
  const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  if (code_point < min_code_point || code_point > 0x10FFFF || surrogate) {
    return 0;
  }
  return length;
}

// Appends the escape Go uses for an ASCII byte inside a quoted literal.
void append_ascii_escaped(std::string& out, unsigned char c, char quote_char) {
  switch (c) {
    case '\a':
      out += "\\a";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\v':
      out += "\\v";
      return;
    case '\\':
      out += "\\\\";
      return;
    default:
      break;
  }
  if (c == static_cast<unsigned char>(quote_char)) {
    out += '\\';
    out += static_cast<char>(c);
  } else if (c < 0x20 || c == 0x7F) {
    out += fmt::format("\\x{:02x}", c);
  } else {
    out += static_cast<char>(c);
  }
}

}  // namespace

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      append_ascii_escaped(out, c, '"');
      ++i;
      continue;
    }
    const std::size_t length = utf8_sequence_length(s, i);
    if (length == 0) {
      out += fmt::format("\\x{:02x}", c);
      ++i;
      continue;
    }
    out.append(s.substr(i, length));
    i += length;
  }
  out += '"';
  return out;
}

std::string quote_byte(unsigned char c) {
  std::string out = "'";
  if (c < 0x80) {
    append_ascii_escaped(out, c, '\'');
  } else {
    // A byte >= 0x80 is the code point U+0080..U+00FF, printed UTF-8 encoded,
    // except the ones Go does not consider printable (C1 controls, U+00A0, U+00AD).
    if (c <= 0xA0 || c == 0xAD) {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  out += '\'';
  return out;
}

}  // namespace kr::go
