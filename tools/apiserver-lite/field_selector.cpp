#include "field_selector.h"

#include <algorithm>

namespace kr::apiserver_lite {
namespace {

// Splits on separators not preceded by a backslash (fields.splitTerms).
std::vector<std::string> split_unescaped(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::string current;
  bool escaped = false;
  for (const char c : text) {
    if (escaped) {
      current += '\\';
      current += c;
      escaped = false;
    } else if (c == '\\') {
      escaped = true;
    } else if (c == separator) {
      parts.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (escaped) {
    current += '\\';
  }
  parts.push_back(std::move(current));
  return parts;
}

std::string unescape(std::string_view raw, std::string_view whole) {
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\') {
      out += raw[i];
      continue;
    }
    if (i + 1 >= raw.size() || (raw[i + 1] != '\\' && raw[i + 1] != ',' && raw[i + 1] != '=')) {
      throw SelectorError("invalid field selector: '" + std::string(whole) +
                          "': invalid escape sequence");
    }
    out += raw[++i];
  }
  return out;
}

}  // namespace

FieldSelector FieldSelector::parse(std::string_view text) {
  FieldSelector selector;
  if (text.find_first_not_of(" \t") == std::string_view::npos) {
    return selector;
  }
  for (const std::string& term : split_unescaped(text, ',')) {
    // fields.splitTerm: the first unescaped operator, trying "!=", "==", "=" at each position.
    size_t op_pos = std::string::npos;
    size_t op_len = 0;
    bool negated = false;
    for (size_t i = 0; i < term.size() && op_pos == std::string::npos; ++i) {
      if (term[i] == '\\') {
        ++i;
        continue;
      }
      const std::string_view rest = std::string_view(term).substr(i);
      if (rest.starts_with("!=")) {
        op_pos = i;
        op_len = 2;
        negated = true;
      } else if (rest.starts_with("==")) {
        op_pos = i;
        op_len = 2;
      } else if (rest.starts_with("=")) {
        op_pos = i;
        op_len = 1;
      }
    }
    if (op_pos == std::string::npos || op_pos == 0) {
      throw SelectorError("invalid selector: '" + std::string(text) + "'; can't understand '" +
                          term + "'");
    }
    selector.terms_.push_back({unescape(std::string_view(term).substr(0, op_pos), text), negated,
                               unescape(std::string_view(term).substr(op_pos + op_len), text)});
  }
  return selector;
}

bool FieldSelector::matches(const FieldLookup& lookup) const {
  return std::ranges::none_of(terms_, [&lookup](const auto& term) {
    return (lookup(term.label) == term.value) == term.negated;
  });
}

}  // namespace kr::apiserver_lite
