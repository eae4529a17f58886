#include "support/wait.h"

#include <gtest/gtest.h>

namespace kr::test {
namespace {

using std::chrono::milliseconds;

TEST(WaitUntil, ReturnsTrueOnceThePredicateHolds) {
  int calls = 0;
  EXPECT_TRUE(wait_until([&] { return ++calls == 3; }, std::chrono::seconds(10), milliseconds(1)));
  EXPECT_EQ(calls, 3);
}

TEST(WaitUntil, ReturnsFalseWhenThePredicateNeverHolds) {
  int calls = 0;
  EXPECT_FALSE(wait_until(
      [&] {
        ++calls;
        return false;
      },
      milliseconds(30), milliseconds(5)));
  EXPECT_GE(calls, 2);  // asked at the start and at least once more before giving up
}

TEST(WaitUntil, ChecksAtLeastOnceEvenWithZeroTimeout) {
  EXPECT_TRUE(wait_until([] { return true; }, milliseconds(0)));
}

}  // namespace
}  // namespace kr::test
