#include "support/run.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

namespace kr::test {
namespace {

using ::testing::HasSubstr;

TEST(Run, CapturesOutputAndStatus) {
  const RunResult result = run({"sh", "-c", "echo out; echo err >&2; exit 4"});
  EXPECT_EQ(result.out, "out\n");
  EXPECT_EQ(result.err, "err\n");
  EXPECT_EQ(result.status.code, 4);
  EXPECT_FALSE(result.ok());
  EXPECT_FALSE(result.timed_out);
}

TEST(Run, FeedsStdin) {
  RunOptions options;
  options.stdin_data = "line one\nline two\n";
  const RunResult result = run({"wc", "-l"}, options);
  ASSERT_TRUE(result.ok()) << result.describe({"wc", "-l"});
  EXPECT_EQ(result.out, "2\n");
}

TEST(Run, CapturesLargeOutputWithoutBlocking) {
  const RunResult result = run({"sh", "-c", "head -c 1000000 /dev/zero"});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.out.size(), 1000000u);
}

TEST(Run, KillsCommandThatOutlivesTimeout) {
  RunOptions options;
  options.timeout = std::chrono::milliseconds(100);
  const RunResult result = run({"sleep", "100"}, options);
  EXPECT_TRUE(result.timed_out);
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(result.describe({"sleep", "100"}), HasSubstr("timed out"));
}

TEST(Run, PassesExtraEnvironment) {
  RunOptions options;
  options.env = {"KR_X=42"};
  EXPECT_EQ(check_output({"sh", "-c", "echo $KR_X"}, options), "42\n");
}

TEST(CheckOutput, ThrowsWithCommandStatusAndStderr) {
  try {
    check_output({"sh", "-c", "echo broken pipe dream >&2; exit 2"});
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("exit 2"));
    EXPECT_THAT(e.what(), HasSubstr("broken pipe dream"));
    EXPECT_THAT(e.what(), HasSubstr("sh -c"));
  }
}

TEST(JoinArgv, QuotesArgumentsThatNeedIt) {
  EXPECT_EQ(join_argv({"ip", "-n", "x", "link"}), "ip -n x link");
  EXPECT_EQ(join_argv({"sh", "-c", "echo a b"}), "sh -c 'echo a b'");
  EXPECT_EQ(join_argv({"printf", ""}), "printf ''");
}

}  // namespace
}  // namespace kr::test
