// One CSV record as Go's encoding/csv reads and writes it (default Reader and
// Writer settings: comma separator, double quotes, no space trimming).
//
// pflag's string-slice flags parse each value with csv.Reader.Read and print
// their value with csv.Writer, so `--x='a,"b,c"'` is the list [a, b,c].
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kr::go {

struct CsvRead {
  std::vector<std::string> fields;
  // Go's error text: `parse error on line 1, column 3: bare " in non-quoted
  // field`, or "EOF" when the input holds no record (only empty lines).
  std::string error;
  [[nodiscard]] bool ok() const { return error.empty(); }
};

// csv.NewReader(strings.NewReader(text)).Read(): the FIRST record only. Empty
// lines before it are skipped; a quoted field may span lines.
CsvRead read_csv_record(std::string_view text);

// The bytes csv.Writer writes for one record, without the final newline.
std::string write_csv_record(const std::vector<std::string>& fields);

}  // namespace kr::go
