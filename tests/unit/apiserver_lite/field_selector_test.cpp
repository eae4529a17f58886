#include "field_selector.h"

#include <gtest/gtest.h>

#include <map>

namespace kr::apiserver_lite {
namespace {

bool selects(const std::string& selector, const std::map<std::string, std::string>& fields) {
  return FieldSelector::parse(selector).matches([&](std::string_view label) {
    const auto it = fields.find(std::string(label));
    return it == fields.end() ? std::string() : it->second;
  });
}

TEST(FieldSelector, EqualityAndInequality) {
  const std::map<std::string, std::string> pod = {{"metadata.name", "web-1"},
                                                  {"spec.nodeName", "node-a"}};
  EXPECT_TRUE(selects("spec.nodeName=node-a", pod));
  EXPECT_TRUE(selects("spec.nodeName==node-a", pod));
  EXPECT_FALSE(selects("spec.nodeName!=node-a", pod));
  EXPECT_TRUE(selects("metadata.name=web-1,spec.nodeName!=node-b", pod));
  EXPECT_FALSE(selects("metadata.name=web-1,spec.nodeName=node-b", pod));
}

TEST(FieldSelector, EmptyValueMatchesUnsetField) {
  EXPECT_TRUE(selects("spec.nodeName=", {}));  // unscheduled pods
  EXPECT_FALSE(selects("spec.nodeName!=", {}));
}

TEST(FieldSelector, EscapedSeparatorsBelongToTheValue) {
  EXPECT_TRUE(selects(R"(metadata.name=a\,b)", {{"metadata.name", "a,b"}}));
  EXPECT_TRUE(selects(R"(metadata.name=a\=b)", {{"metadata.name", "a=b"}}));
  const auto parsed = FieldSelector::parse(R"(metadata.name=x\\)");
  EXPECT_EQ(parsed.terms().at(0).value, "x\\");
}

TEST(FieldSelector, RejectsTermsWithoutOperator) {
  EXPECT_THROW(FieldSelector::parse("metadata.name"), SelectorError);
  EXPECT_THROW(FieldSelector::parse("=x"), SelectorError);
  EXPECT_THROW(FieldSelector::parse(R"(metadata.name=a\q)"), SelectorError);
}

}  // namespace
}  // namespace kr::apiserver_lite
