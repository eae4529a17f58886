#include "go/csv.h"

#include <fmt/format.h>

#include <algorithm>

namespace kr::go {
namespace {

constexpr std::string_view kBareQuote = "bare \" in non-quoted field";
constexpr std::string_view kBadQuote = "extraneous or missing \" in quoted field";

// Splits input into lines as csv.Reader.readLine does: each line keeps its
// "\n" (a final line without one gets none), "\r\n" becomes "\n", and a lone
// "\r" right before the end of input is dropped.
class LineSource {
 public:
  explicit LineSource(std::string_view text) : rest_(text) {}

  // False at end of input.
  bool next(std::string& line) {
    if (rest_.empty()) {
      return false;
    }
    const std::size_t nl = rest_.find('\n');
    if (nl == std::string_view::npos) {
      line.assign(rest_);
      rest_ = {};
      if (!line.empty() && line.back() == '\r') {
        line.pop_back();
      }
    } else {
      line.assign(rest_.substr(0, nl + 1));
      rest_.remove_prefix(nl + 1);
      if (line.size() >= 2 && line[line.size() - 2] == '\r') {
        line.erase(line.size() - 2, 1);
      }
    }
    ++line_number_;
    return true;
  }
  [[nodiscard]] int line_number() const { return line_number_; }

 private:
  std::string_view rest_;
  int line_number_ = 0;
};

std::size_t newline_length(std::string_view s) { return !s.empty() && s.back() == '\n' ? 1 : 0; }

std::string parse_error(int record_line, int line_number, std::size_t column,
                        std::string_view what) {
  if (record_line != line_number) {
    return fmt::format("record on line {}; parse error on line {}, column {}: {}", record_line,
                       line_number, column, what);
  }
  return fmt::format("parse error on line {}, column {}: {}", line_number, column, what);
}

}  // namespace

CsvRead read_csv_record(std::string_view text) {
  LineSource source(text);
  std::string storage;
  bool have_line = false;
  while (source.next(storage)) {
    if (storage.size() != newline_length(storage)) {
      have_line = true;
      break;
    }
  }
  if (!have_line) {
    return {{}, "EOF"};
  }
  const int record_line = source.line_number();
  int line_number = record_line;
  std::string_view line = storage;
  std::size_t column = 1;  // 1-based byte column within the current line
  CsvRead result;
  for (;;) {
    if (line.empty() || line[0] != '"') {
      // Unquoted field: up to the next comma or the end of the line.
      const std::size_t comma = line.find(',');
      std::string_view field = line;
      if (comma != std::string_view::npos) {
        field = field.substr(0, comma);
      } else {
        field.remove_suffix(newline_length(field));
      }
      const std::size_t quote = field.find('"');
      if (quote != std::string_view::npos) {
        return {{}, parse_error(record_line, line_number, column + quote, kBareQuote)};
      }
      result.fields.emplace_back(field);
      if (comma == std::string_view::npos) {
        return result;
      }
      line.remove_prefix(comma + 1);
      column += comma + 1;
      continue;
    }
    // Quoted field: `""` is a literal quote, the field may continue on the
    // following lines, and it must end with `"` followed by `,` or end of line.
    std::string field;
    line.remove_prefix(1);
    column += 1;
    for (;;) {
      const std::size_t quote = line.find('"');
      if (quote != std::string_view::npos) {
        field.append(line.substr(0, quote));
        line.remove_prefix(quote + 1);
        column += quote + 1;
        if (!line.empty() && line[0] == '"') {
          field += '"';
          line.remove_prefix(1);
          column += 1;
        } else if (!line.empty() && line[0] == ',') {
          line.remove_prefix(1);
          column += 1;
          result.fields.push_back(std::move(field));
          break;
        } else if (newline_length(line) == line.size()) {
          result.fields.push_back(std::move(field));
          return result;
        } else {
          return {{}, parse_error(record_line, line_number, column - 1, kBadQuote)};
        }
      } else if (!line.empty()) {
        field.append(line);
        column += line.size();
        if (!source.next(storage)) {
          // Input ended inside the quotes: reported after the last byte.
          return {{}, parse_error(record_line, line_number, column, kBadQuote)};
        }
        line = storage;
        line_number = source.line_number();
        column = 1;
      } else {
        return {{}, parse_error(record_line, line_number, column, kBadQuote)};
      }
    }
  }
}

namespace {

bool needs_quotes(std::string_view field) {
  if (field.empty()) {
    return false;
  }
  if (field == "\\.") {
    return true;
  }
  if (field.find_first_of("\n\r\",") != std::string_view::npos) {
    return true;
  }
  // Go also quotes a field that starts with a space (unicode.IsSpace).
  static constexpr std::string_view kMultiByteSpaces[] = {
      "\u0085", "\u00a0", "\u1680", "\u2000", "\u2001", "\u2002", "\u2003",
      "\u2004", "\u2005", "\u2006", "\u2007", "\u2008", "\u2009", "\u200a",
      "\u2028", "\u2029", "\u202f", "\u205f", "\u3000"};
  const char first = field[0];
  if (first == ' ' || (first >= '\t' && first <= '\r')) {
    return true;
  }
  return std::ranges::any_of(kMultiByteSpaces,
                             [field](std::string_view space) { return field.starts_with(space); });
}

}  // namespace

std::string write_csv_record(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) {
      out += ',';
    }
    const std::string& field = fields[i];
    if (!needs_quotes(field)) {
      out += field;
      continue;
    }
    out += '"';
    for (const char c : field) {
      out += c;
      if (c == '"') {
        out += '"';
      }
    }
    out += '"';
  }
  return out;
}

}  // namespace kr::go
