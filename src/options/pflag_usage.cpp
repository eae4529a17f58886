// pflag's FlagUsages layout, reproduced byte for byte:
//
//   "  -h, --help" or "      --name", then " <type>" unless bool, then the
//   help text starting in the column 3 past the longest such prefix, then
//   " (default X)" unless the default is the type's zero value (strings are
//   quoted with %q). Lines are sorted by long name.
#include <fmt/format.h>

#include "go/strconv.h"
#include "options/pflag.h"
#include "options/pflag_flag.h"

namespace kr::options::pflag {
namespace {

// pflag's UnquoteUsage: a `back-quoted` word in the help text names the
// value (and loses its quotes); otherwise the type does, bools show none.
std::pair<std::string, std::string> unquote_usage(const std::string& usage, std::string_view type) {
  const std::size_t open = usage.find('`');
  if (open != std::string::npos) {
    const std::size_t close = usage.find('`', open + 1);
    if (close != std::string::npos) {
      std::string name = usage.substr(open + 1, close - open - 1);
      return {name, usage.substr(0, open) + name + usage.substr(close + 1)};
    }
  }
  std::string name(type);
  if (type == "bool") {
    name.clear();
  } else if (type == "stringSlice") {
    name = "strings";
  } else if (type == "uintSlice") {
    name = "uints";
  }
  return {name, usage};
}

// Go's wrap() with no width limit: newlines in the help text are followed by
// the indentation of the help column.
std::string indent_newlines(std::string_view text, std::size_t indent) {
  std::string out;
  for (const char c : text) {
    out += c;
    if (c == '\n') {
      out.append(indent, ' ');
    }
  }
  return out;
}

}  // namespace

std::string FlagSet::flag_usages() const {
  struct Line {
    std::string left;  // flag names and type
    std::string help;
  };
  std::vector<Line> lines;
  std::size_t widest = 0;
  for (const auto& [name, flag] : flags_) {
    Line line;
    line.left = flag->shorthand != '\0' ? fmt::format("  -{}, --{}", flag->shorthand, name)
                                        : fmt::format("      --{}", name);
    auto [value_name, help] = unquote_usage(flag->usage, flag->value->type());
    if (!value_name.empty()) {
      line.left += " " + value_name;
    }
    widest = std::max(widest, line.left.size());
    line.help = std::move(help);
    if (flag->always_show_default || !flag->value->is_zero_default(flag->default_text)) {
      line.help += flag->value->type() == "string"
                       ? fmt::format(" (default {})", go::quote(flag->default_text))
                       : fmt::format(" (default {})", flag->default_text);
    }
    lines.push_back(std::move(line));
  }
  std::string out;
  const std::size_t help_column = widest + 3;
  for (const Line& line : lines) {
    out += line.left;
    out.append(help_column - line.left.size(), ' ');
    out += indent_newlines(line.help, help_column);
    out += '\n';
  }
  return out;
}

}  // namespace kr::options::pflag
