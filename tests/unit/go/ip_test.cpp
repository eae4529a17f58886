#include "go/ip.h"

#include <gtest/gtest.h>

namespace kr::go {
namespace {

TEST(GoCanonicalIp, PrintsIpv4DottedAndRejectsLeadingZeros) {
  EXPECT_EQ(canonical_ip("10.0.0.1"), "10.0.0.1");
  EXPECT_EQ(canonical_ip("0.0.0.0"), "0.0.0.0");
  for (const char* bad : {"010.0.0.1", "1.2.3", "1.2.3.4.5", "256.0.0.1", " 10.0.0.1", "10.0.0.1 ",
                          "", "foo", "1.2.3.4/32"}) {
    EXPECT_EQ(canonical_ip(bad), std::nullopt) << bad;
  }
}

TEST(GoCanonicalIp, PrintsIpv6Canonically) {
  EXPECT_EQ(canonical_ip("::1"), "::1");
  EXPECT_EQ(canonical_ip("::"), "::");
  EXPECT_EQ(canonical_ip("0:0:0:0:0:0:0:0"), "::");
  EXPECT_EQ(canonical_ip("2001:DB8::1"), "2001:db8::1");
  EXPECT_EQ(canonical_ip("2001:0db8:0000:0000:0000:0000:0000:0001"), "2001:db8::1");
  // Longest zero run wins; on a tie the first; a single zero group stays.
  EXPECT_EQ(canonical_ip("2001:0:0:1:0:0:0:1"), "2001:0:0:1::1");
  EXPECT_EQ(canonical_ip("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");
  EXPECT_EQ(canonical_ip("1:0:2:3:4:5:6:7"), "1:0:2:3:4:5:6:7");
  EXPECT_EQ(canonical_ip("1:2:3:4:5:6:7:0"), "1:2:3:4:5:6:7:0");
  // IPv4-mapped addresses are IPv4 for Go.
  EXPECT_EQ(canonical_ip("::ffff:10.0.0.1"), "10.0.0.1");
  for (const char* bad : {"fe80::1%eth0", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", ":::"}) {
    EXPECT_EQ(canonical_ip(bad), std::nullopt) << bad;
  }
}

TEST(GoParseCidr, ParsesAndMasksTheNetwork) {
  const std::optional<Cidr> v4 = parse_cidr("199.10.10.10/24");
  ASSERT_TRUE(v4);
  EXPECT_FALSE(v4->ipv6);
  EXPECT_EQ(v4->network, "199.10.10.0");
  EXPECT_EQ(v4->prefix_length, 24);

  const std::optional<Cidr> v6 = parse_cidr("2001:db8:42:0::/56");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->ipv6);
  EXPECT_EQ(v6->network, "2001:db8:42::");
  EXPECT_EQ(v6->prefix_length, 56);

  EXPECT_EQ(parse_cidr("10.96.0.0/12")->network, "10.96.0.0");
  EXPECT_EQ(parse_cidr("10.255.255.255/9")->network, "10.128.0.0");
  EXPECT_EQ(parse_cidr("0.0.0.0/0")->prefix_length, 0);
  EXPECT_EQ(parse_cidr("::/128")->prefix_length, 128);
  // Go's dtoi allows leading zeros.
  EXPECT_EQ(parse_cidr("10.0.0.0/024")->prefix_length, 24);
  EXPECT_EQ(parse_cidr("10.0.0.0/0000000000024")->prefix_length, 24);
}

TEST(GoParseCidr, RejectsNonCidrs) {
  for (const char* bad :
       {"10.10.10", "foo", "10.10.10.10", "10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/",
        "10.0.0.0/8x", "/8", "010.0.0.0/8", "10.0.0.0/ 8", "fe80::%eth0/64"}) {
    EXPECT_EQ(parse_cidr(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace kr::go
