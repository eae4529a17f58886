#include "label_selector.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace kr::apiserver_lite {
namespace {

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// RFC 1123 DNS subdomain: lowercase alphanumerics, '-' and '.', alnum at both ends, <= 253.
bool is_dns_subdomain(std::string_view s) {
  if (s.empty() || s.size() > 253 || !is_alnum(s.front()) || !is_alnum(s.back())) {
    return false;
  }
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (is_alnum(c) && std::isupper(static_cast<unsigned char>(c)) == 0) || c == '-' ||
           c == '.';
  });
}

// The "name" part of a qualified name and a label value share this shape.
bool is_qualified_name_part(std::string_view s) {
  if (s.empty() || s.size() > 63 || !is_alnum(s.front()) || !is_alnum(s.back())) {
    return false;
  }
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return is_alnum(c) || c == '-' || c == '_' || c == '.'; });
}

// Tokens of the selector language (labels/selector.go's lexer).
enum class Tok {
  kIdent,
  kComma,
  kOpenParen,
  kCloseParen,
  kNot,
  kEquals,
  kDoubleEquals,
  kNotEquals,
  kGreater,
  kLess,
  kEnd
};

struct Token {
  Tok kind;
  std::string text;
};

bool is_special(char c) {
  return c == '!' || c == '=' || c == '(' || c == ')' || c == ',' || c == '<' || c == '>';
}

std::vector<Token> lex(std::string_view in) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < in.size()) {
    const char c = in[i];
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      ++i;
      continue;
    }
    if (is_special(c)) {
      const std::string_view two = in.substr(i, 2);
      if (two == "==") {
        out.push_back({Tok::kDoubleEquals, "=="});
        i += 2;
      } else if (two == "!=") {
        out.push_back({Tok::kNotEquals, "!="});
        i += 2;
      } else {
        static constexpr std::pair<char, Tok> kSingles[] = {
            {'!', Tok::kNot},        {'=', Tok::kEquals}, {'(', Tok::kOpenParen},
            {')', Tok::kCloseParen}, {',', Tok::kComma},  {'<', Tok::kLess},
            {'>', Tok::kGreater}};
        for (const auto& [ch, tok] : kSingles) {
          if (ch == c) {
            out.push_back({tok, std::string(1, c)});
          }
        }
        ++i;
      }
      continue;
    }
    size_t end = i;
    while (end < in.size() && !is_special(in[end]) &&
           std::isspace(static_cast<unsigned char>(in[end])) == 0) {
      ++end;
    }
    out.push_back({Tok::kIdent, std::string(in.substr(i, end - i))});
    i = end;
  }
  out.push_back({Tok::kEnd, ""});
  return out;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  std::vector<LabelSelector::Requirement> parse() {
    std::vector<LabelSelector::Requirement> result;
    if (peek().kind == Tok::kEnd) {
      return result;
    }
    for (;;) {
      result.push_back(requirement());
      const Token& next = take();
      if (next.kind == Tok::kEnd) {
        return result;
      }
      if (next.kind != Tok::kComma) {
        throw SelectorError("found '" + next.text + "', expected: ',' or 'end of string'");
      }
    }
  }

 private:
  const Token& peek() const { return tokens_[pos_]; }
  const Token& take() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }

  LabelSelector::Requirement requirement() {
    bool negated = false;
    if (peek().kind == Tok::kNot) {
      take();
      negated = true;
    }
    const Token key = take();
    if (key.kind != Tok::kIdent) {
      throw SelectorError("found '" + key.text + "', expected: identifier");
    }
    check_key(key.text);
    using Op = LabelSelector::Op;
    if (negated) {
      return {key.text, Op::kDoesNotExist, {}};
    }
    const Tok next = peek().kind;
    if (next == Tok::kComma || next == Tok::kEnd) {
      return {key.text, Op::kExists, {}};
    }
    const Token op = take();
    switch (op.kind) {
      case Tok::kEquals:
      case Tok::kDoubleEquals:
        return {key.text, Op::kEquals, {single_value()}};
      case Tok::kNotEquals:
        return {key.text, Op::kNotEquals, {single_value()}};
      case Tok::kGreater:
      case Tok::kLess: {
        std::string value = single_value();
        long long number = 0;
        const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
        if (ec != std::errc() || ptr != value.data() + value.size()) {
          throw SelectorError("for 'Gt', 'Lt' operators, the value must be an integer: " + value);
        }
        return {key.text, op.kind == Tok::kGreater ? Op::kGreaterThan : Op::kLessThan, {value}};
      }
      case Tok::kIdent:
        if (op.text == "in" || op.text == "notin") {
          return {key.text, op.text == "in" ? Op::kIn : Op::kNotIn, value_set()};
        }
        [[fallthrough]];
      default:
        throw SelectorError("found '" + op.text + "', expected: in, notin, =, ==, !=, gt, lt");
    }
  }

  std::string single_value() {
    // `key=` (empty value) is valid and selects an empty label value.
    if (peek().kind == Tok::kComma || peek().kind == Tok::kEnd) {
      return "";
    }
    const Token value = take();
    if (value.kind != Tok::kIdent) {
      throw SelectorError("found '" + value.text + "', expected: identifier");
    }
    check_value(value.text);
    return value.text;
  }

  std::vector<std::string> value_set() {
    if (take().kind != Tok::kOpenParen) {
      throw SelectorError("found '" + tokens_[pos_ - 1].text + "', expected: '('");
    }
    std::vector<std::string> values;
    for (;;) {
      const Token t = take();
      if (t.kind == Tok::kIdent) {
        check_value(t.text);
        values.push_back(t.text);
        const Token sep = take();
        if (sep.kind == Tok::kCloseParen) {
          break;
        }
        if (sep.kind != Tok::kComma) {
          throw SelectorError("found '" + sep.text + "', expected: ',' or ')'");
        }
      } else if (t.kind == Tok::kCloseParen && values.empty()) {
        throw SelectorError("for 'in', 'notin' operators, values set can't be empty");
      } else {
        throw SelectorError("found '" + t.text + "', expected: identifier");
      }
    }
    return values;
  }

  static void check_key(const std::string& key) {
    if (std::string err = validate_label_key(key); !err.empty()) {
      throw SelectorError("unable to parse requirement: key: Invalid value: \"" + key +
                          "\": " + err);
    }
  }
  static void check_value(const std::string& value) {
    if (std::string err = validate_label_value(value); !err.empty()) {
      throw SelectorError("unable to parse requirement: values[0]: Invalid value: \"" + value +
                          "\": " + err);
    }
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

bool contains(const std::vector<std::string>& values, const std::string& v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

bool compare_integer(const std::string& label, const std::string& bound, bool greater) {
  long long have = 0;
  long long want = 0;
  const auto r1 = std::from_chars(label.data(), label.data() + label.size(), have);
  const auto r2 = std::from_chars(bound.data(), bound.data() + bound.size(), want);
  if (r1.ec != std::errc() || r1.ptr != label.data() + label.size() || r2.ec != std::errc()) {
    return false;  // a non-integer label value never satisfies Gt/Lt (as upstream)
  }
  return greater ? have > want : have < want;
}

}  // namespace

std::string validate_label_key(std::string_view key) {
  std::string_view name = key;
  if (const size_t slash = key.find('/'); slash != std::string_view::npos) {
    const std::string_view prefix = key.substr(0, slash);
    name = key.substr(slash + 1);
    if (!is_dns_subdomain(prefix)) {
      return "prefix part must be a lowercase RFC 1123 subdomain";
    }
  }
  if (!is_qualified_name_part(name)) {
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start "
           "and end with an alphanumeric character (at most 63 characters)";
  }
  return "";
}

std::string validate_label_value(std::string_view value) {
  if (value.empty() || is_qualified_name_part(value)) {
    return "";
  }
  return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' "
         "or '.', and must start and end with an alphanumeric character (at most 63 characters)";
}

LabelSelector LabelSelector::parse(std::string_view text) {
  LabelSelector selector;
  selector.requirements_ = Parser(lex(text)).parse();
  return selector;
}

bool LabelSelector::matches(const LabelLookup& lookup) const {
  for (const auto& req : requirements_) {
    const std::optional<std::string> value = lookup(req.key);
    bool ok = false;
    switch (req.op) {
      case Op::kEquals:
      case Op::kIn:
        ok = value && contains(req.values, *value);
        break;
      case Op::kNotEquals:
      case Op::kNotIn:
        ok = !value || !contains(req.values, *value);
        break;
      case Op::kExists:
        ok = value.has_value();
        break;
      case Op::kDoesNotExist:
        ok = !value.has_value();
        break;
      case Op::kGreaterThan:
      case Op::kLessThan:
        ok = value && compare_integer(*value, req.values.front(), req.op == Op::kGreaterThan);
        break;
    }
    if (!ok) {
      return false;
    }
  }
  return true;
}

}  // namespace kr::apiserver_lite
