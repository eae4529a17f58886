#include "controllers/netpol/label_selector.h"

#include <gtest/gtest.h>

#include "fixtures.h"

namespace kr::netpol {
namespace {

using testing::labels;
using testing::match_expression;
using testing::match_labels;

TEST(LabelSelector, EmptySelectsEverything) {
  EXPECT_TRUE(selector_matches({}, labels({})));
  EXPECT_TRUE(selector_matches({}, labels({{"app", "a"}})));
}

TEST(LabelSelector, MatchLabelsNeedsEveryPair) {
  const auto s = match_labels({{"app", "a"}, {"component", "b"}});
  EXPECT_TRUE(selector_matches(s, labels({{"app", "a"}, {"component", "b"}, {"x", "y"}})));
  EXPECT_FALSE(selector_matches(s, labels({{"app", "a"}})));
  EXPECT_FALSE(selector_matches(s, labels({{"app", "a"}, {"component", "c"}})));
}

TEST(LabelSelector, Operators) {
  const auto in = match_expression("component", "In", {"b", "c"});
  EXPECT_TRUE(selector_matches(in, labels({{"component", "c"}})));
  EXPECT_FALSE(selector_matches(in, labels({{"component", "a"}})));
  EXPECT_FALSE(selector_matches(in, labels({})));
  const auto not_in = match_expression("component", "NotIn", {"b"});
  EXPECT_TRUE(selector_matches(not_in, labels({})));
  EXPECT_FALSE(selector_matches(not_in, labels({{"component", "b"}})));
  EXPECT_TRUE(selector_matches(match_expression("a", "Exists"), labels({{"a", ""}})));
  EXPECT_FALSE(selector_matches(match_expression("a", "Exists"), labels({})));
  EXPECT_TRUE(selector_matches(match_expression("a", "DoesNotExist"), labels({})));
  EXPECT_FALSE(selector_matches(match_expression("a", "DoesNotExist"), labels({{"a", "1"}})));
}

TEST(LabelSelector, ValidationFollowsTheApi) {
  EXPECT_FALSE(selector_error(match_expression("a", "In", {"x"})).has_value());
  EXPECT_TRUE(selector_error(match_expression("a", "In", {})).has_value());
  EXPECT_TRUE(selector_error(match_expression("a", "Exists", {"x"})).has_value());
  const auto bad = selector_error(match_expression("a", "Matches", {"x"}));
  ASSERT_TRUE(bad.has_value());
  EXPECT_NE(bad->find("Matches"), std::string::npos);
}

}  // namespace
}  // namespace kr::netpol
