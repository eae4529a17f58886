#include "k8s/time.h"

#include <gtest/gtest.h>

namespace kr::k8s {
namespace {

using std::chrono::microseconds;

TEST(Rfc3339, ParsesApiServerForms) {
  const auto t = parse_rfc3339("2024-05-01T10:00:00Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->time_since_epoch(), microseconds(1714557600000000));
  EXPECT_EQ(parse_rfc3339("2024-05-01T10:00:00.25Z")->time_since_epoch(),
            microseconds(1714557600250000));
  // Digits beyond microseconds are dropped (MicroTime precision).
  EXPECT_EQ(parse_rfc3339("2024-05-01T10:00:00.123456789Z")->time_since_epoch(),
            microseconds(1714557600123456));
  EXPECT_EQ(parse_rfc3339("2024-05-01T12:30:00+02:30"), parse_rfc3339("2024-05-01T10:00:00Z"));
  EXPECT_EQ(parse_rfc3339("2024-05-01t10:00:00z"), parse_rfc3339("2024-05-01T10:00:00Z"));
}

TEST(Rfc3339, RejectsInvalid) {
  for (const char* bad : {"", "2024-05-01", "2024-05-01T10:00:00", "2024-02-30T00:00:00Z",
                          "2024-05-01T24:00:00Z", "2024-05-01T10:00:00.Z", "2024-05-01T10:00:00Zx",
                          "2024-05-01T10:00:00+2:00", "20240501T100000Z"}) {
    EXPECT_FALSE(parse_rfc3339(bad)) << bad;
  }
}

TEST(Rfc3339, FormatsMicroTimeAndRoundTrips) {
  const auto t = *parse_rfc3339("1999-12-31T23:59:59.000042Z");
  EXPECT_EQ(format_micro_time(t), "1999-12-31T23:59:59.000042Z");
  EXPECT_EQ(parse_rfc3339(format_micro_time(t)), t);
}

}  // namespace
}  // namespace kr::k8s
