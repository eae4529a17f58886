#include "label_selector.h"

#include <gtest/gtest.h>

#include <map>

namespace kr::apiserver_lite {
namespace {

bool selects(const std::string& selector, const std::map<std::string, std::string>& labels) {
  return LabelSelector::parse(selector).matches([&](std::string_view key) {
    const auto it = labels.find(std::string(key));
    return it == labels.end() ? std::nullopt : std::optional<std::string>(it->second);
  });
}

TEST(LabelSelector, EmptySelectsEverything) {
  EXPECT_TRUE(selects("", {}));
  EXPECT_TRUE(selects("  ", {{"a", "b"}}));
}

TEST(LabelSelector, EqualityOperators) {
  EXPECT_TRUE(selects("app=web", {{"app", "web"}}));
  EXPECT_TRUE(selects("app==web", {{"app", "web"}}));
  EXPECT_FALSE(selects("app=web", {{"app", "db"}}));
  EXPECT_FALSE(selects("app=web", {}));
}

TEST(LabelSelector, NotEqualsAlsoMatchesAbsentLabel) {
  EXPECT_TRUE(selects("app!=web", {{"app", "db"}}));
  EXPECT_TRUE(selects("app!=web", {}));
  EXPECT_FALSE(selects("app!=web", {{"app", "web"}}));
}

TEST(LabelSelector, SetOperators) {
  EXPECT_TRUE(selects("env in (prod, staging)", {{"env", "staging"}}));
  EXPECT_FALSE(selects("env in (prod,staging)", {{"env", "dev"}}));
  EXPECT_FALSE(selects("env in (prod)", {}));
  EXPECT_TRUE(selects("env notin (prod)", {{"env", "dev"}}));
  EXPECT_TRUE(selects("env notin (prod)", {}));
  EXPECT_FALSE(selects("env notin (prod,dev)", {{"env", "dev"}}));
}

TEST(LabelSelector, ExistenceOperators) {
  EXPECT_TRUE(selects("tier", {{"tier", ""}}));
  EXPECT_FALSE(selects("tier", {}));
  EXPECT_TRUE(selects("!tier", {}));
  EXPECT_FALSE(selects("!tier", {{"tier", "x"}}));
}

TEST(LabelSelector, AllRequirementsMustHold) {
  const std::map<std::string, std::string> labels = {{"app", "web"}, {"env", "prod"}};
  EXPECT_TRUE(selects("app=web,env in (prod),!canary", labels));
  EXPECT_FALSE(selects("app=web,env=dev", labels));
}

TEST(LabelSelector, EmptyValueAndQualifiedKeys) {
  EXPECT_TRUE(selects("a=", {{"a", ""}}));
  EXPECT_FALSE(selects("a=", {{"a", "x"}}));
  EXPECT_TRUE(selects("kubernetes.io/service-name=web", {{"kubernetes.io/service-name", "web"}}));
}

TEST(LabelSelector, NumericComparisons) {
  EXPECT_TRUE(selects("weight>5", {{"weight", "7"}}));
  EXPECT_FALSE(selects("weight>5", {{"weight", "5"}}));
  EXPECT_TRUE(selects("weight<5", {{"weight", "2"}}));
  EXPECT_FALSE(selects("weight<5", {{"weight", "abc"}}));
}

TEST(LabelSelector, RejectsMalformedSelectors) {
  for (const char* bad : {"app=web,", "in (a)", "env in ()", "env in (a", "a=b=c", "!a=b",
                          "-bad-key=x", "a=has space", "x>abc", "a b"}) {
    EXPECT_THROW(LabelSelector::parse(bad), SelectorError) << bad;
  }
}

TEST(LabelSelector, ValidatesKeysAndValues) {
  EXPECT_EQ(validate_label_key("example.com/name"), "");
  EXPECT_NE(validate_label_key("Example.com/name"), "");  // prefix must be lower case
  EXPECT_NE(validate_label_key(std::string(64, 'a')), "");
  EXPECT_EQ(validate_label_value(""), "");
  EXPECT_NE(validate_label_value("-x"), "");
}

}  // namespace
}  // namespace kr::apiserver_lite
