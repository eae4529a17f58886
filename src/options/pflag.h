// A command-line parser that behaves like Go's spf13/pflag (the parser behind
// kube-router's flags), reimplemented so our binary accepts exactly the same
// command lines and prints the same messages and usage table.
//
// Syntax (pflag's parseArgs):
//   --name=value, --name value    any non-bool flag
//   --name, --name=false          bool flags ("--name false" leaves "false"
//                                 as a positional argument)
//   -x value, -x=value, -xvalue   shorthand flags; bool shorthands combine: -hV
//   --                            ends the flags; the rest is positional
//   "-", "" and non-dash words    positional (flags may follow them)
// Values are bound to plain variables that hold the defaults at registration.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kr::options::pflag {

class Value;

struct ParseResult {
  // pflag's message, e.g. "unknown flag: --foo"; empty on success.
  std::string error;
  // Non-flag arguments in order, including everything after "--".
  std::vector<std::string> positional;
  [[nodiscard]] bool ok() const { return error.empty(); }
};

class FlagSet {
 public:
  // name is shown in the usage header: "Usage of <name>:".
  explicit FlagSet(std::string name);
  ~FlagSet();
  FlagSet(const FlagSet&) = delete;
  FlagSet& operator=(const FlagSet&) = delete;

  // Registration, pflag's XxxVarP. The variable's current value is the
  // default. shorthand '\0' means none. A duplicate name or shorthand is a
  // programming error (std::logic_error), as it is a panic in pflag.
  void bool_var(bool* target, std::string_view name, std::string_view usage, char shorthand = '\0');
  void string_var(std::string* target, std::string_view name, std::string_view usage,
                  char shorthand = '\0');
  void duration_var(std::chrono::nanoseconds* target, std::string_view name,
                    std::string_view usage);
  void uint8_var(std::uint8_t* target, std::string_view name, std::string_view usage);
  void uint16_var(std::uint16_t* target, std::string_view name, std::string_view usage);
  void uint32_var(std::uint32_t* target, std::string_view name, std::string_view usage);
  void uint_var(std::uint64_t* target, std::string_view name, std::string_view usage);
  void strings_var(std::vector<std::string>* target, std::string_view name, std::string_view usage);
  void uints_var(std::vector<std::uint64_t>* target, std::string_view name, std::string_view usage);
  void ip_slice_var(std::vector<std::string>* target, std::string_view name,
                    std::string_view usage);

  // Shows "(default <value>)" for this flag even when pflag's zero-value rule
  // would omit it. Exists for documented tables that print e.g. "(default [])".
  void always_show_default(std::string_view name);

  // Parses arguments (without the program name). Stops at the first error.
  ParseResult parse(std::span<const std::string_view> args);

  // pflag's FlagUsages(): one line per flag sorted by name, the help text
  // aligned in one column.
  [[nodiscard]] std::string flag_usages() const;
  // "Usage of <name>:\n" followed by flag_usages().
  [[nodiscard]] std::string usage() const;

 private:
  struct Flag;
  struct Cursor;

  void add(std::string_view name, char shorthand, std::string_view usage,
           std::unique_ptr<Value> value);
  static std::string set(Flag& flag, std::string_view text);
  std::string parse_long(std::string_view arg, Cursor& cursor);
  std::string parse_short(std::string_view arg, Cursor& cursor);

  std::string name_;
  std::map<std::string, std::unique_ptr<Flag>, std::less<>> flags_;  // sorted by name
  std::map<char, Flag*> shorthands_;
};

}  // namespace kr::options::pflag
