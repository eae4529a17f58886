#include "controllers/netpol/cidr.h"

#include <gtest/gtest.h>

namespace kr::netpol {
namespace {

std::vector<std::string> texts(const std::vector<Cidr>& cidrs) {
  std::vector<std::string> out;
  for (const Cidr& c : cidrs) out.push_back(c.member_text());
  return out;
}

TEST(Cidr, ParsesAndMasksLikeGo) {
  EXPECT_EQ(parse_cidr("10.1.2.3/8")->text(), "10.0.0.0/8");
  EXPECT_EQ(parse_cidr("2001:DB8::1/64")->text(), "2001:db8::/64");
  EXPECT_EQ(parse_cidr("10.0.0.1/32")->member_text(), "10.0.0.1");
  for (const char* bad : {"10.0.0.0", "10.0.0.0/33", "foo/8", "10.0.0/8", "10.0.0.0/", "::/129",
                          "10.0.0.0/-1", "10.0.0.0/8x", ""}) {
    EXPECT_FALSE(parse_cidr(bad).has_value()) << bad;
  }
}

TEST(Cidr, AddressesAreCanonical) {
  EXPECT_EQ(parse_address("2001:DB8:0:0::1")->text, "2001:db8::1");
  EXPECT_EQ(parse_address("10.0.0.1")->family, Family::kIPv4);
  EXPECT_FALSE(parse_address("3.1").has_value());
  EXPECT_FALSE(parse_address("").has_value());
}

TEST(Cidr, SubtractGivesExactRemainder) {
  const auto r = subtract(*parse_cidr("10.0.0.0/30"), {*parse_cidr("10.0.0.1/32")});
  EXPECT_EQ(texts(r), (std::vector<std::string>{"10.0.0.0", "10.0.0.2/31"}));
}

TEST(Cidr, WholeFamilyIsSplitBecauseIpsetCannotHoldSlashZero) {
  EXPECT_EQ(texts(subtract(*parse_cidr("0.0.0.0/0"), {})),
            (std::vector<std::string>{"0.0.0.0/1", "128.0.0.0/1"}));
  EXPECT_EQ(texts(subtract(*parse_cidr("::/0"), {})),
            (std::vector<std::string>{"::/1", "8000::/1"}));
}

TEST(Cidr, SubtractHostFromEverything) {
  const auto r = subtract(*parse_cidr("0.0.0.0/0"), {*parse_cidr("10.1.2.3/32")});
  EXPECT_EQ(r.size(), 32u);
  for (const Cidr& c : r) {
    EXPECT_FALSE(c.contains(*parse_cidr("10.1.2.3/32"))) << c.text();
  }
  EXPECT_TRUE(std::any_of(r.begin(), r.end(),
                          [](const Cidr& c) { return c.contains(*parse_cidr("10.1.2.2/32")); }));
}

TEST(Cidr, ExceptCoveringEverythingLeavesNothing) {
  EXPECT_TRUE(subtract(*parse_cidr("10.0.0.0/24"), {*parse_cidr("10.0.0.0/16")}).empty());
}

}  // namespace
}  // namespace kr::netpol
