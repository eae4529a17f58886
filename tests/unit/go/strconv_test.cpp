#include "go/strconv.h"

#include <gtest/gtest.h>

namespace kr::go {
namespace {

std::uint64_t uint_ok(std::string_view s, int base, int bits) {
  const Parsed<std::uint64_t> parsed = parse_uint(s, base, bits);
  EXPECT_TRUE(parsed.ok()) << s << ": " << parsed.error;
  return parsed.value;
}

TEST(GoParseUint, DetectsTheBaseFromThePrefix) {
  EXPECT_EQ(uint_ok("31", 0, 64), 31u);
  EXPECT_EQ(uint_ok("0x1F", 0, 64), 31u);
  EXPECT_EQ(uint_ok("0X1f", 0, 64), 31u);
  EXPECT_EQ(uint_ok("0o17", 0, 64), 15u);
  EXPECT_EQ(uint_ok("0O17", 0, 64), 15u);
  EXPECT_EQ(uint_ok("017", 0, 64), 15u);
  EXPECT_EQ(uint_ok("0b101", 0, 64), 5u);
  EXPECT_EQ(uint_ok("0B101", 0, 64), 5u);
  EXPECT_EQ(uint_ok("0", 0, 64), 0u);
  EXPECT_EQ(uint_ok("00", 0, 64), 0u);
}

TEST(GoParseUint, AllowsUnderscoresBetweenDigitsOnlyWithBaseDetection) {
  EXPECT_EQ(uint_ok("1_000", 0, 64), 1000u);
  EXPECT_EQ(uint_ok("0x_1F", 0, 64), 31u);
  EXPECT_EQ(uint_ok("0_17", 0, 64), 15u);
  for (const char* bad : {"_1", "1_", "1__0", "0x_", "0x1F_"}) {
    EXPECT_EQ(parse_uint(bad, 0, 64).error,
              std::string("strconv.ParseUint: parsing \"") + bad + "\": invalid syntax");
  }
  EXPECT_FALSE(parse_uint("1_0", 10, 64).ok());
}

TEST(GoParseUint, RejectsWhatGoRejectsWithGoMessages) {
  EXPECT_EQ(parse_uint("abc", 0, 16).error, "strconv.ParseUint: parsing \"abc\": invalid syntax");
  EXPECT_EQ(parse_uint("", 0, 16).error, "strconv.ParseUint: parsing \"\": invalid syntax");
  // "0x" alone is octal "x": invalid; 8 is not an octal digit.
  for (const char* bad : {"0x", "08", "-1", "+1", " 1", "1 ", "0x1G", "0b2", "1.0"}) {
    EXPECT_FALSE(parse_uint(bad, 0, 64).ok()) << bad;
  }
}

TEST(GoParseUint, ChecksTheRangeOfEachWidth) {
  EXPECT_EQ(uint_ok("255", 0, 8), 255u);
  EXPECT_EQ(parse_uint("256", 0, 8).error,
            "strconv.ParseUint: parsing \"256\": value out of range");
  EXPECT_EQ(uint_ok("65535", 0, 16), 65535u);
  EXPECT_FALSE(parse_uint("65536", 0, 16).ok());
  EXPECT_EQ(uint_ok("0xFFFFFFFF", 0, 32), 4294967295u);
  EXPECT_EQ(parse_uint("0x1_0000_0000", 0, 32).error,
            "strconv.ParseUint: parsing \"0x1_0000_0000\": value out of range");
  EXPECT_EQ(uint_ok("18446744073709551615", 0, 64), 18446744073709551615u);
  EXPECT_EQ(parse_uint("18446744073709551616", 0, 64).error,
            "strconv.ParseUint: parsing \"18446744073709551616\": value out of range");
  EXPECT_FALSE(parse_uint("99999999999999999999999", 0, 64).ok());
}

TEST(GoParseUint, Base10TakesPlainDigitsOnly) {
  EXPECT_EQ(uint_ok("010", 10, 64), 10u);
  EXPECT_FALSE(parse_uint("0x10", 10, 64).ok());
}

TEST(GoParseInt, ParsesSignedDecimalsWithinTheWidth) {
  const auto value = [](std::string_view s) {
    const Parsed<std::int64_t> parsed = parse_int(s, 10, 32);
    EXPECT_TRUE(parsed.ok()) << s << ": " << parsed.error;
    return parsed.value;
  };
  EXPECT_EQ(value("3"), 3);
  EXPECT_EQ(value("+5"), 5);
  EXPECT_EQ(value("-1"), -1);
  EXPECT_EQ(value("2147483647"), 2147483647);
  EXPECT_EQ(value("-2147483648"), -2147483648LL);
  EXPECT_EQ(parse_int("2147483648", 10, 32).error,
            "strconv.ParseInt: parsing \"2147483648\": value out of range");
  EXPECT_EQ(parse_int("-2147483649", 10, 32).error,
            "strconv.ParseInt: parsing \"-2147483649\": value out of range");
  EXPECT_EQ(parse_int("abc", 10, 32).error, "strconv.ParseInt: parsing \"abc\": invalid syntax");
  EXPECT_EQ(parse_int("-", 10, 32).error, "strconv.ParseInt: parsing \"-\": invalid syntax");
  EXPECT_EQ(parse_int("", 10, 32).error, "strconv.ParseInt: parsing \"\": invalid syntax");
}

TEST(GoParseBool, AcceptsExactlyGosLiterals) {
  for (const char* yes : {"1", "t", "T", "TRUE", "true", "True"}) {
    const Parsed<bool> parsed = parse_bool(yes);
    EXPECT_TRUE(parsed.ok() && parsed.value) << yes;
  }
  for (const char* no : {"0", "f", "F", "FALSE", "false", "False"}) {
    const Parsed<bool> parsed = parse_bool(no);
    EXPECT_TRUE(parsed.ok() && !parsed.value) << no;
  }
  for (const char* bad : {"yes", "TrUe", "", "2", " true"}) {
    EXPECT_FALSE(parse_bool(bad).ok()) << bad;
  }
  EXPECT_EQ(parse_bool("yes").error, "strconv.ParseBool: parsing \"yes\": invalid syntax");
}

TEST(GoQuote, EscapesLikeStrconvQuote) {
  EXPECT_EQ(quote("abc"), "\"abc\"");
  EXPECT_EQ(quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(quote("\n\t\r\a\b\f\v"), "\"\\n\\t\\r\\a\\b\\f\\v\"");
  EXPECT_EQ(quote(std::string_view("\x01\x7f\0", 3)), "\"\\x01\\x7f\\x00\"");
  EXPECT_EQ(quote("\xff"), "\"\\xff\"");       // not UTF-8
  EXPECT_EQ(quote("\xc2"), "\"\\xc2\"");       // truncated sequence
  EXPECT_EQ(quote("\u00b5s"), "\"\u00b5s\"");  // valid UTF-8 kept
  EXPECT_EQ(quote("'"), "\"'\"");
}

TEST(GoQuote, QuotesABytesAsARuneLiteral) {
  EXPECT_EQ(quote_byte('x'), "'x'");
  EXPECT_EQ(quote_byte('\''), "'\\''");
  EXPECT_EQ(quote_byte('"'), "'\"'");
  EXPECT_EQ(quote_byte('\n'), "'\\n'");
  EXPECT_EQ(quote_byte(0), "'\\x00'");
  EXPECT_EQ(quote_byte(0xe9), "'\u00e9'");
  EXPECT_EQ(quote_byte(0x85), "'\\u0085'");
  EXPECT_EQ(quote_byte(0xa0), "'\\u00a0'");
}

}  // namespace
}  // namespace kr::go
