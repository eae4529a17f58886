// Go's strconv number/bool parsing and string quoting, reproduced exactly.
//
// kube-router's flags are parsed by Go's pflag, which hands values to
// strconv.ParseUint/ParseBool and quotes them with %q in its error messages.
// Operators see these messages, so the accepted syntax (base prefixes,
// underscores) and the error texts must be identical.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kr::go {

// A parsed value, or the text of Go's *strconv.NumError, e.g.
// `strconv.ParseUint: parsing "abc": invalid syntax`.
template <typename T>
struct Parsed {
  T value{};
  std::string error;  // empty on success
  [[nodiscard]] bool ok() const { return error.empty(); }
};

// strconv.ParseUint(s, base, bit_size). base 0 detects the base from the prefix
// ("0x"/"0X" hex, "0o"/"0O" or a bare leading "0" octal, "0b"/"0B" binary) and
// allows "_" between digits; base 2..36 takes digits only. bit_size is 1..64.
Parsed<std::uint64_t> parse_uint(std::string_view s, int base, int bit_size);

// strconv.ParseInt(s, base, bit_size): optional sign, then as parse_uint.
Parsed<std::int64_t> parse_int(std::string_view s, int base, int bit_size);

// strconv.ParseBool: 1 t T TRUE true True 0 f F FALSE false False.
Parsed<bool> parse_bool(std::string_view s);

// strconv.Quote (what fmt's %q does to a string): double quotes, with `"` and
// `\` escaped, control bytes as \a \b \f \n \r \t \v or \xNN, bytes that are not
// valid UTF-8 as \xNN. Valid multi-byte UTF-8 is kept as is (Go would escape
// the few non-printable non-ASCII code points too; flags never contain them).
std::string quote(std::string_view s);

// fmt's %q applied to a single byte (Go formats it as a rune literal): 'x', '\n', '\x00'.
std::string quote_byte(unsigned char c);

}  // namespace kr::go
