#include "kernel/netlink/ip.h"

#include <gtest/gtest.h>
#include <sys/socket.h>

namespace kr::netlink {
namespace {

TEST(IpAddress, ParsesBothFamiliesAndPrintsCanonicalText) {
  auto v4 = IpAddress::parse("10.96.0.10");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->family(), AF_INET);
  EXPECT_EQ(v4->size(), 4u);
  EXPECT_EQ(v4->to_string(), "10.96.0.10");
  auto v6 = IpAddress::parse("FD00:0:0::1");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->family(), AF_INET6);
  EXPECT_EQ(v6->to_string(), "fd00::1");
}

TEST(IpAddress, RejectsWhatIsNotAnAddress) {
  for (const char* text : {"", "10.0.0", "10.0.0.256", "fd00:::1", "host", "10.0.0.1/24"}) {
    EXPECT_FALSE(IpAddress::parse(text)) << text;
  }
  EXPECT_THROW(IpAddress::must_parse("nope"), std::invalid_argument);
  EXPECT_FALSE(IpAddress::from_bytes(std::vector<std::uint8_t>(5)));
}

TEST(IpPrefix, ParsesLengthsAndDefaultsToAHostPrefix) {
  EXPECT_EQ(IpPrefix::must_parse("10.244.0.0/24").length, 24);
  EXPECT_EQ(IpPrefix::must_parse("10.0.0.1").length, 32);
  EXPECT_EQ(IpPrefix::must_parse("fd00::/64").to_string(), "fd00::/64");
  EXPECT_EQ(IpPrefix::must_parse("::1").length, 128);
  for (const char* text : {"10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/2x", "/24"}) {
    EXPECT_FALSE(IpPrefix::parse(text)) << text;
  }
}

}  // namespace
}  // namespace kr::netlink
