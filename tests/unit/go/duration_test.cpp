#include "go/duration.h"

#include <gtest/gtest.h>

#include <limits>

namespace kr::go {
namespace {

using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::nanoseconds;
using std::chrono::seconds;

nanoseconds parse_ok(std::string_view text) {
  const DurationParse parsed = parse_duration(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.error;
  return parsed.value;
}

TEST(DurationParse, AcceptsGoSyntax) {
  EXPECT_EQ(parse_ok("300ms"), milliseconds(300));
  EXPECT_EQ(parse_ok("1.5h"), minutes(90));
  EXPECT_EQ(parse_ok("2h45m"), hours(2) + minutes(45));
  EXPECT_EQ(parse_ok("1m30s"), seconds(90));
  EXPECT_EQ(parse_ok("5m0s"), minutes(5));
  EXPECT_EQ(parse_ok("-1s"), seconds(-1));
  EXPECT_EQ(parse_ok("+5s"), seconds(5));
  EXPECT_EQ(parse_ok(".5s"), milliseconds(500));
  EXPECT_EQ(parse_ok("1.s"), seconds(1));
  EXPECT_EQ(parse_ok("1ns"), nanoseconds(1));
  EXPECT_EQ(parse_ok("1us"), microseconds(1));
  EXPECT_EQ(parse_ok("1\u00b5s"), microseconds(1));  // micro sign
  EXPECT_EQ(parse_ok("1\u03bcs"), microseconds(1));  // Greek mu
  EXPECT_EQ(parse_ok("1h1m1s1ms1us1ns"), hours(1) + minutes(1) + seconds(1) + milliseconds(1) +
                                             microseconds(1) + nanoseconds(1));
  EXPECT_EQ(parse_ok("3.000000001s"), seconds(3) + nanoseconds(1));
  EXPECT_EQ(parse_ok("0.1ns"), nanoseconds(0));                // fractions below 1ns truncate
  EXPECT_EQ(parse_ok("1.0000000000000000000001h"), hours(1));  // below 1ns: dropped
}

TEST(DurationParse, AcceptsBareZeroWithOptionalSign) {
  for (const char* zero : {"0", "-0", "+0", "0s", "0h0m"}) {
    EXPECT_EQ(parse_ok(zero), nanoseconds(0)) << zero;
  }
}

TEST(DurationParse, CoversTheWholeInt64Range) {
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ(parse_ok("9223372036854775807ns"), nanoseconds(kMax));
  EXPECT_EQ(parse_ok("-9223372036854775808ns"), nanoseconds(kMin));
  EXPECT_EQ(parse_ok("2562047h47m16.854775807s"), nanoseconds(kMax));
  EXPECT_EQ(parse_duration("9223372036854775808ns").error,
            "time: invalid duration \"9223372036854775808ns\"");
  EXPECT_FALSE(parse_duration("2562048h").ok());
  EXPECT_FALSE(parse_duration("2562047h47m16.854775808s").ok());
  EXPECT_FALSE(parse_duration("99999999999999999999s").ok());
}

TEST(DurationParse, RejectsWithGosMessages) {
  EXPECT_EQ(parse_duration("").error, "time: invalid duration \"\"");
  EXPECT_EQ(parse_duration("abc").error, "time: invalid duration \"abc\"");
  EXPECT_EQ(parse_duration("-").error, "time: invalid duration \"-\"");
  EXPECT_EQ(parse_duration(".s").error, "time: invalid duration \".s\"");
  EXPECT_EQ(parse_duration(" 1s").error, "time: invalid duration \" 1s\"");
  // The unit is everything up to the next digit or ".".
  EXPECT_EQ(parse_duration("1h-1m").error, "time: unknown unit \"h-\" in duration \"1h-1m\"");
  EXPECT_EQ(parse_duration("1").error, "time: missing unit in duration \"1\"");
  EXPECT_EQ(parse_duration("5").error, "time: missing unit in duration \"5\"");
  EXPECT_EQ(parse_duration("1.5.5s").error, "time: missing unit in duration \"1.5.5s\"");
  EXPECT_EQ(parse_duration("1d").error, "time: unknown unit \"d\" in duration \"1d\"");
  EXPECT_EQ(parse_duration("1S").error, "time: unknown unit \"S\" in duration \"1S\"");
  // The time package escapes every non-ASCII byte.
  EXPECT_EQ(parse_duration("1\u00b5").error,
            "time: unknown unit \"\\xc2\\xb5\" in duration \"1\\xc2\\xb5\"");
}

TEST(GoDurationFormat, PrintsLikeDurationString) {
  EXPECT_EQ(format_duration(nanoseconds(0)), "0s");
  EXPECT_EQ(format_duration(nanoseconds(1)), "1ns");
  EXPECT_EQ(format_duration(nanoseconds(1500)), "1.5\u00b5s");
  EXPECT_EQ(format_duration(milliseconds(1)), "1ms");
  EXPECT_EQ(format_duration(microseconds(1500)), "1.5ms");
  EXPECT_EQ(format_duration(nanoseconds(999999999)), "999.999999ms");
  EXPECT_EQ(format_duration(milliseconds(300)), "300ms");
  EXPECT_EQ(format_duration(seconds(1)), "1s");
  EXPECT_EQ(format_duration(milliseconds(1500)), "1.5s");
  EXPECT_EQ(format_duration(seconds(30)), "30s");
  EXPECT_EQ(format_duration(seconds(60)), "1m0s");
  EXPECT_EQ(format_duration(seconds(90)), "1m30s");
  EXPECT_EQ(format_duration(minutes(5)), "5m0s");
  EXPECT_EQ(format_duration(minutes(6)), "6m0s");
  EXPECT_EQ(format_duration(hours(1)), "1h0m0s");
  EXPECT_EQ(format_duration(hours(2) + minutes(45)), "2h45m0s");
  EXPECT_EQ(format_duration(minutes(90)), "1h30m0s");
  EXPECT_EQ(format_duration(seconds(65536)), "18h12m16s");
  EXPECT_EQ(format_duration(hours(1) + nanoseconds(1)), "1h0m0.000000001s");
  EXPECT_EQ(format_duration(seconds(-1)), "-1s");
  EXPECT_EQ(format_duration(microseconds(-2)), "-2\u00b5s");
  EXPECT_EQ(format_duration(nanoseconds(std::numeric_limits<std::int64_t>::max())),
            "2562047h47m16.854775807s");
  EXPECT_EQ(format_duration(nanoseconds(std::numeric_limits<std::int64_t>::min())),
            "-2562047h47m16.854775808s");
}

TEST(GoDuration, FormattedValuesParseBack) {
  for (const nanoseconds d : std::initializer_list<nanoseconds>{
           nanoseconds(0), nanoseconds(7), microseconds(1500), milliseconds(1), seconds(59),
           minutes(61), hours(18) + seconds(1), -minutes(5) - nanoseconds(3)}) {
    EXPECT_EQ(parse_ok(format_duration(d)), d) << format_duration(d);
  }
}

}  // namespace
}  // namespace kr::go
