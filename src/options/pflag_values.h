// The flag value types of Go's spf13/pflag that kube-router uses, each bound
// to a plain C++ variable. Set() parses exactly as pflag does; str() prints
// the value as pflag's String() (that text is the "(default ...)" in usage).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kr::options::pflag {

class Value {
 public:
  virtual ~Value() = default;
  // Parses text into the bound variable. Returns pflag's error text (e.g.
  // `strconv.ParseUint: parsing "x": invalid syntax`) or "" on success.
  virtual std::string set(std::string_view text) = 0;
  [[nodiscard]] virtual std::string str() const = 0;
  // pflag's Type(): "bool", "string", "duration", "uint8", "uint16", "uint32",
  // "uint", "stringSlice", "uintSlice", "ipSlice".
  [[nodiscard]] virtual std::string_view type() const = 0;
  // pflag's defaultIsZeroValue: usage omits "(default X)" when true.
  [[nodiscard]] virtual bool is_zero_default(std::string_view default_text) const = 0;
};

std::unique_ptr<Value> bool_value(bool* target);
std::unique_ptr<Value> string_value(std::string* target);
// Go duration syntax (see go/duration.h).
std::unique_ptr<Value> duration_value(std::chrono::nanoseconds* target);
// Unsigned integers: Go base detection (0x, 0o, 0b, leading 0, "_"), range
// checked against the width; "uint" is 64 bits.
std::unique_ptr<Value> uint8_value(std::uint8_t* target);
std::unique_ptr<Value> uint16_value(std::uint16_t* target);
std::unique_ptr<Value> uint32_value(std::uint32_t* target);
std::unique_ptr<Value> uint_value(std::uint64_t* target);
// Slices: the first Set replaces the default, later ones append.
// "strings": each value is one CSV record; "" gives an empty list.
std::unique_ptr<Value> strings_value(std::vector<std::string>* target);
// "uints": split on ",", each a base-10 uint (no spaces, no empty items).
std::unique_ptr<Value> uints_value(std::vector<std::uint64_t>* target);
// "ipSlice": quote characters removed, CSV split, items space-trimmed and
// parsed as IP literals; stored in canonical text form (go_ip.h).
std::unique_ptr<Value> ip_slice_value(std::vector<std::string>* target);

}  // namespace kr::options::pflag
