// The error text of a long-running restore tool, renumbered for the document that failed.
#include "kernel/netfilter/restore_session.h"

#include <gtest/gtest.h>

namespace kr::netfilter {
namespace {

TEST(RenumberLines, CountsFromTheDocumentsFirstLine) {
  EXPECT_EQ(renumber_lines("iptables-restore: line 57 failed", 50),
            "iptables-restore: line 7 failed");
  EXPECT_EQ(renumber_lines("Bad argument `x'\nError occurred at line: 12\nTry `iptables -h'", 10),
            "Bad argument `x'\nError occurred at line: 2\nTry `iptables -h'");
}

TEST(RenumberLines, LeavesOtherNumbersAndWordsAlone) {
  EXPECT_EQ(renumber_lines("pipeline 57, line 3 of 9", 2), "pipeline 57, line 1 of 9");
  EXPECT_EQ(renumber_lines("line 2 failed", 5), "line 2 failed") << "not past the offset";
  EXPECT_EQ(renumber_lines("deadline", 1), "deadline");
  EXPECT_EQ(renumber_lines("line", 1), "line");
  EXPECT_EQ(renumber_lines("at line: 1", 0), "at line: 1");
}

}  // namespace
}  // namespace kr::netfilter
