#include "options/pflag.h"

#include <fmt/format.h>

#include <stdexcept>

#include "go/strconv.h"
#include "options/pflag_flag.h"

namespace kr::options::pflag {

// The arguments not consumed yet.
struct FlagSet::Cursor {
  std::span<const std::string_view> args;
  std::size_t next = 0;

  [[nodiscard]] bool has_next() const { return next < args.size(); }
  std::string_view take() { return args[next++]; }
};

FlagSet::FlagSet(std::string name) : name_(std::move(name)) {}
FlagSet::~FlagSet() = default;

void FlagSet::add(std::string_view name, char shorthand, std::string_view usage,
                  std::unique_ptr<Value> value) {
  if (flags_.contains(name)) {
    throw std::logic_error(fmt::format("{} flag redefined: {}", name_, name));
  }
  if (shorthand != '\0' && shorthands_.contains(shorthand)) {
    throw std::logic_error(fmt::format("unable to redefine {} shorthand in {} flagset",
                                       go::quote_byte(static_cast<unsigned char>(shorthand)),
                                       go::quote(name_)));
  }
  auto flag = std::make_unique<Flag>();
  flag->name = std::string(name);
  flag->shorthand = shorthand;
  flag->usage = std::string(usage);
  flag->default_text = value->str();
  if (value->type() == "bool") {
    flag->no_option_default = "true";
  }
  flag->value = std::move(value);
  if (shorthand != '\0') {
    shorthands_[shorthand] = flag.get();
  }
  flags_.emplace(flag->name, std::move(flag));
}

void FlagSet::bool_var(bool* target, std::string_view name, std::string_view usage,
                       char shorthand) {
  add(name, shorthand, usage, bool_value(target));
}
void FlagSet::string_var(std::string* target, std::string_view name, std::string_view usage,
                         char shorthand) {
  add(name, shorthand, usage, string_value(target));
}
void FlagSet::duration_var(std::chrono::nanoseconds* target, std::string_view name,
                           std::string_view usage) {
  add(name, '\0', usage, duration_value(target));
}
void FlagSet::uint8_var(std::uint8_t* target, std::string_view name, std::string_view usage) {
  add(name, '\0', usage, uint8_value(target));
}
void FlagSet::uint16_var(std::uint16_t* target, std::string_view name, std::string_view usage) {
  add(name, '\0', usage, uint16_value(target));
}
void FlagSet::uint32_var(std::uint32_t* target, std::string_view name, std::string_view usage) {
  add(name, '\0', usage, uint32_value(target));
}
void FlagSet::uint_var(std::uint64_t* target, std::string_view name, std::string_view usage) {
  add(name, '\0', usage, uint_value(target));
}
void FlagSet::strings_var(std::vector<std::string>* target, std::string_view name,
                          std::string_view usage) {
  add(name, '\0', usage, strings_value(target));
}
void FlagSet::uints_var(std::vector<std::uint64_t>* target, std::string_view name,
                        std::string_view usage) {
  add(name, '\0', usage, uints_value(target));
}
void FlagSet::ip_slice_var(std::vector<std::string>* target, std::string_view name,
                           std::string_view usage) {
  add(name, '\0', usage, ip_slice_value(target));
}

void FlagSet::always_show_default(std::string_view name) {
  const auto it = flags_.find(name);
  if (it == flags_.end()) {
    throw std::logic_error(fmt::format("always_show_default: no flag {}", name));
  }
  it->second->always_show_default = true;
}

std::string FlagSet::set(Flag& flag, std::string_view text) {
  const std::string error = flag.value->set(text);
  if (error.empty()) {
    return {};
  }
  const std::string flag_name = flag.shorthand != '\0'
                                    ? fmt::format("-{}, --{}", flag.shorthand, flag.name)
                                    : fmt::format("--{}", flag.name);
  return fmt::format("invalid argument {} for {} flag: {}", go::quote(text), go::quote(flag_name),
                     error);
}

// pflag's parseLongArg. arg starts with "--" and is longer than that.
std::string FlagSet::parse_long(std::string_view arg, Cursor& cursor) {
  std::string_view name = arg.substr(2);
  if (name[0] == '-' || name[0] == '=') {
    return fmt::format("bad flag syntax: {}", arg);
  }
  const std::size_t equals = name.find('=');
  const bool has_value = equals != std::string_view::npos;
  std::string_view value;
  if (has_value) {
    value = name.substr(equals + 1);
    name = name.substr(0, equals);
  }
  const auto it = flags_.find(name);
  if (it == flags_.end()) {
    return fmt::format("unknown flag: --{}", name);
  }
  Flag& flag = *it->second;
  if (!has_value) {
    if (!flag.no_option_default.empty()) {
      value = flag.no_option_default;
    } else if (cursor.has_next()) {
      value = cursor.take();
    } else {
      return fmt::format("flag needs an argument: {}", arg);
    }
  }
  return set(flag, value);
}

// pflag's parseShortArg/parseSingleShortArg. arg is "-" followed by at least
// one character that is not "-"; several bool shorthands may share one dash.
std::string FlagSet::parse_short(std::string_view arg, Cursor& cursor) {
  std::string_view shorthands = arg.substr(1);
  while (!shorthands.empty()) {
    // pflag silently skips Go test-binary flags such as -test.v.
    if (shorthands.starts_with("test.")) {
      return {};
    }
    const char c = shorthands[0];
    const auto it = shorthands_.find(c);
    if (it == shorthands_.end()) {
      return fmt::format("unknown shorthand flag: {} in -{}",
                         go::quote_byte(static_cast<unsigned char>(c)), shorthands);
    }
    Flag& flag = *it->second;
    std::string_view value;
    std::string_view rest = shorthands.substr(1);
    if (shorthands.size() > 2 && shorthands[1] == '=') {
      value = shorthands.substr(2);  // -v=3
      rest = {};
    } else if (!flag.no_option_default.empty()) {
      value = flag.no_option_default;  // -h
    } else if (shorthands.size() > 1) {
      value = shorthands.substr(1);  // -v3
      rest = {};
    } else if (cursor.has_next()) {
      value = cursor.take();  // -v 3
    } else {
      return fmt::format("flag needs an argument: {} in -{}",
                         go::quote_byte(static_cast<unsigned char>(c)), shorthands);
    }
    if (std::string error = set(flag, value); !error.empty()) {
      return error;
    }
    shorthands = rest;
  }
  return {};
}

ParseResult FlagSet::parse(std::span<const std::string_view> args) {
  ParseResult result;
  Cursor cursor{args};
  while (cursor.has_next()) {
    const std::string_view arg = cursor.take();
    if (arg.size() < 2 || arg[0] != '-') {
      result.positional.emplace_back(arg);
      continue;
    }
    if (arg == "--") {
      while (cursor.has_next()) {
        result.positional.emplace_back(cursor.take());
      }
      break;
    }
    result.error = arg[1] == '-' ? parse_long(arg, cursor) : parse_short(arg, cursor);
    if (!result.error.empty()) {
      return result;
    }
  }
  return result;
}

std::string FlagSet::usage() const { return fmt::format("Usage of {}:\n", name_) + flag_usages(); }

}  // namespace kr::options::pflag
