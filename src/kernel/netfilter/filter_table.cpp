#include "kernel/netfilter/filter_table.h"

namespace kr::netfilter {

const StringList& FilterTable::chain(std::string_view name) const {
  static const StringList kEmpty;
  const auto it = rules.find(std::string(name));
  return it == rules.end() ? kEmpty : it->second;
}

void FilterTable::add_chain(std::string name, StringList chain_rules) {
  auto [it, inserted] = rules.try_emplace(name, std::move(chain_rules));
  if (inserted) {
    chain_names.push_back(std::move(name));
  }
}

FilterTable parse_filter_save(std::string_view text) {
  FilterTable table;
  bool in_filter = false;
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (line.starts_with('*')) {
      in_filter = line == "*filter";
      continue;
    }
    if (!in_filter) {
      continue;
    }
    if (line.starts_with(':')) {
      const size_t space = line.find(' ');
      table.add_chain(
          std::string(line.substr(1, space == std::string_view::npos ? line.npos : space - 1)));
    } else if (line.starts_with("-A ")) {
      line.remove_prefix(3);
      const size_t space = line.find(' ');
      std::string chain(line.substr(0, space));
      table.add_chain(chain);
      table.rules[chain].edit().emplace_back(
          space == std::string_view::npos ? std::string_view() : line.substr(space + 1));
    }
  }
  return table;
}

std::string_view rule_target(std::string_view rule) {
  // Targets come last in saved rules; search from the end so a comment containing " -j " does
  // not confuse us.
  for (std::string_view flag : {" -j ", " -g "}) {
    const size_t pos = rule.rfind(flag);
    const bool at_start = rule.starts_with(flag.substr(1));
    if (pos == std::string_view::npos && !at_start) {
      continue;
    }
    std::string_view rest = at_start && pos == std::string_view::npos
                                ? rule.substr(flag.size() - 1)
                                : rule.substr(pos + flag.size());
    return rest.substr(0, rest.find(' '));
  }
  return {};
}

std::string save_quote(std::string_view value) {
  // xtables_save_string(): bare only when every character is one of these.
  constexpr std::string_view kBare =
      "_-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  if (!value.empty() && value.find_first_not_of(kBare) == std::string_view::npos) {
    return std::string(value);
  }
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"' || c == '\\' || c == '\'') {
      out += '\\';
    }
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace kr::netfilter
