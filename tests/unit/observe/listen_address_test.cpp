#include "observe/listen_address.h"

#include <gtest/gtest.h>

#include "observe/listen_socket.h"

namespace kr::observe {
namespace {

TEST(ListenAddress, PrintsLikeUpstreamWithBracketsForIpv6) {
  EXPECT_EQ(to_string({"", 20244}), ":20244");
  EXPECT_EQ(to_string({"127.0.0.1", 8080}), "127.0.0.1:8080");
  EXPECT_EQ(to_string({"::1", 8080}), "[::1]:8080");
  EXPECT_EQ(to_string({"[::1]", 8080}), "[::1]:8080");
}

TEST(ListenAddress, EmptyHostMeansAllInterfaces) {
  const ListenHost host = parse_listen_host("");
  EXPECT_TRUE(host.error.empty());
  EXPECT_FALSE(host.address.has_value());
}

TEST(ListenAddress, AcceptsIpLiterals) {
  const ListenHost v4 = parse_listen_host("10.1.2.3");
  ASSERT_TRUE(v4.address.has_value()) << v4.error;
  EXPECT_EQ(v4.address->to_string(), "10.1.2.3");

  for (const char* text : {"fd00::1", "[fd00::1]"}) {
    const ListenHost v6 = parse_listen_host(text);
    ASSERT_TRUE(v6.address.has_value()) << text << ": " << v6.error;
    EXPECT_TRUE(v6.address->is_v6());
    EXPECT_EQ(v6.address->to_string(), "fd00::1");
  }
}

TEST(ListenAddress, RejectsMalformedBrackets) {
  for (const char* text : {"[10.1.2.3]", "[fd00::1", "fd00::1]", "[]"}) {
    const ListenHost host = parse_listen_host(text);
    EXPECT_FALSE(host.address.has_value()) << text;
    EXPECT_NE(host.error.find(text), std::string::npos) << host.error;
  }
}

TEST(ListenAddress, ResolvesLocalhostFromHostsFile) {
  const ListenHost host = parse_listen_host("localhost");
  ASSERT_TRUE(host.address.has_value()) << host.error;
  EXPECT_TRUE(host.address->is_loopback());
}

}  // namespace
}  // namespace kr::observe
