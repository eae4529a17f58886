#include "go/csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace kr::go {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> fields(std::string_view text) {
  CsvRead read = read_csv_record(text);
  EXPECT_TRUE(read.ok()) << text << ": " << read.error;
  return read.fields;
}

TEST(GoCsvRead, SplitsOnCommasWithoutTrimming) {
  EXPECT_THAT(fields("a,b,c"), ElementsAre("a", "b", "c"));
  EXPECT_THAT(fields(" a , b"), ElementsAre(" a ", " b"));
  EXPECT_THAT(fields("a,"), ElementsAre("a", ""));
  EXPECT_THAT(fields(","), ElementsAre("", ""));
  EXPECT_THAT(fields("a"), ElementsAre("a"));
}

TEST(GoCsvRead, QuotedFieldsHoldCommasQuotesAndNewlines) {
  EXPECT_THAT(fields("a,\"b,c\""), ElementsAre("a", "b,c"));
  EXPECT_THAT(fields("\"a\"\"b\""), ElementsAre("a\"b"));
  EXPECT_THAT(fields("\"\""), ElementsAre(""));
  EXPECT_THAT(fields("\"a\nb\",c"), ElementsAre("a\nb", "c"));
  EXPECT_THAT(fields("\"x\",\"y\""), ElementsAre("x", "y"));
}

TEST(GoCsvRead, ReadsOnlyTheFirstRecordSkippingEmptyLines) {
  EXPECT_THAT(fields("a\nb"), ElementsAre("a"));
  EXPECT_THAT(fields("\n\na,b\nc"), ElementsAre("a", "b"));
  EXPECT_THAT(fields("a\r\n"), ElementsAre("a"));
  EXPECT_THAT(fields("a\r"), ElementsAre("a"));  // lone \r before the end is dropped
  EXPECT_THAT(fields("a\rb"), ElementsAre("a\rb"));
}

TEST(GoCsvRead, ReportsErrorsLikeEncodingCsv) {
  EXPECT_EQ(read_csv_record("a\"b").error,
            "parse error on line 1, column 2: bare \" in non-quoted field");
  EXPECT_EQ(read_csv_record("a,b\"c").error,
            "parse error on line 1, column 4: bare \" in non-quoted field");
  EXPECT_EQ(read_csv_record("\"a\"b").error,
            "parse error on line 1, column 3: extraneous or missing \" in quoted field");
  EXPECT_EQ(read_csv_record("\"abc").error,
            "parse error on line 1, column 5: extraneous or missing \" in quoted field");
  EXPECT_EQ(read_csv_record("\"a\nb").error,
            "record on line 1; parse error on line 2, column 2: extraneous or missing \" in "
            "quoted field");
  EXPECT_EQ(read_csv_record("\n").error, "EOF");
  EXPECT_EQ(read_csv_record("").error, "EOF");
}

TEST(GoCsvWrite, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(write_csv_record({}), "");
  EXPECT_EQ(write_csv_record({"a", "b"}), "a,b");
  EXPECT_EQ(write_csv_record({""}), "");
  EXPECT_EQ(write_csv_record({"a,b", "c"}), "\"a,b\",c");
  EXPECT_EQ(write_csv_record({"a\"b"}), "\"a\"\"b\"");
  EXPECT_EQ(write_csv_record({" a"}), "\" a\"");
  EXPECT_EQ(write_csv_record({"a "}), "a ");
  EXPECT_EQ(write_csv_record({"\u00a0a"}), "\"\u00a0a\"");
  EXPECT_EQ(write_csv_record({"\\."}), "\"\\.\"");
  EXPECT_EQ(write_csv_record({"a\nb"}), "\"a\nb\"");
}

TEST(GoCsv, WrittenRecordsReadBack) {
  const std::vector<std::string> record = {"plain", "with,comma", "with \"quote\"", " lead", ""};
  EXPECT_EQ(fields(write_csv_record(record)), record);
}

}  // namespace
}  // namespace kr::go
