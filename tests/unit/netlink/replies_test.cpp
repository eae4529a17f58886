// Decoding replies captured from real kernels (hex of whole netlink
// messages): IPVS services, destinations and timeouts from Debian's 6.1 kernel
// in the VM tier, a route and an ip rule from this host's kernel. Also checks
// that truncated copies of them never read out of bounds.
#include <gtest/gtest.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#include <string_view>
#include <vector>

#include "kernel/ipvs/messages.h"
#include "kernel/netlink/route.h"
#include "kernel/netlink/rule.h"

namespace kr::netlink {
namespace {

std::vector<std::uint8_t> from_hex(std::string_view hex) {
  std::vector<std::uint8_t> bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(
        static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return bytes;
}

const nlmsghdr* header(const std::vector<std::uint8_t>& bytes) {
  return reinterpret_cast<const nlmsghdr*>(bytes.data());
}

// `ipvsadm -A -t 10.96.0.10:80 -s sh -b sh-fallback,sh-port -p 10800`, as IPVS_CMD_GET_SERVICE
// returns it.
constexpr std::string_view kServiceReply =
    "4001000020000200e1dc076bcabfb9c3010100002c0101000600010002000000060002000600000014000300"
    "0a60000a000000000000000000000000060004000050000007000600736800000c0007001b000000ffffffff"
    "08000800302a000008000900ffffffff5c000a00080001000000000008000200000000000800030000000000"
    "0c00040000000000000000000c00050000000000000000000800060000000000080007000000000008000800"
    "00000000080009000000000008000a00000000007c000c000c00010000000000000000000c00020000000000"
    "000000000c00030000000000000000000c00040000000000000000000c00050000000000000000000c000600"
    "00000000000000000c00070000000000000000000c00080000000000000000000c0009000000000000000000"
    "0c000a000000000000000000";

// Its destination `-r 10.244.2.5:8080 -i --tun-type gue --tun-port 5555 -w 3`.
constexpr std::string_view kDestinationReply =
    "6401000020000200e2dc076bcabfb9c30501000050010200140001000af40205000000000000000000000000"
    "060002001f9000000800030002000000080004000300000005000d000100000006000e0015b3000006000f00"
    "0000000008000500000000000800060000000000080007000000000008000800000000000800090000000000"
    "06000b00020000005c000a000800010000000000080002000000000008000300000000000c00040000000000"
    "000000000c000500000000000000000008000600000000000800070000000000080008000000000008000900"
    "0000000008000a00000000007c000c000c00010000000000000000000c00020000000000000000000c000300"
    "00000000000000000c00040000000000000000000c00050000000000000000000c0006000000000000000000"
    "0c00070000000000000000000c00080000000000000000000c00090000000000000000000c000a0000000000"
    "00000000";

// IPVS_CMD_GET_CONFIG after `ipvsadm --set 900 120 300`.
constexpr std::string_view kConfigReply =
    "2c00000020000000e3dc076bcabfb9c30c01000008000400840300000800050078000000080006002c010000"
    "";

// `10.244.1.0/24 via 10.0.1.11 dev br0 proto 17 table 77` from an RTM_GETROUTE dump.
constexpr std::string_view kRouteReply =
    "3c00000018000200c9dc076bcf3e0000021800004d1100010000000008000f004d000000080001000af40100"
    "080005000a00010b0800040002000000";

// `32764: from all fwmark 0x1234 lookup 78` from an RTM_GETRULE dump.
constexpr std::string_view kRuleReply =
    "4c00000020000200cadc076bcf3e0000020000004e0000010000000008000f004e00000008000e00ffffffff"
    "050015000000000008000600fc7f000008000a003412000008001000ffffffff";

TEST(CapturedReplies, IpvsService) {
  auto bytes = from_hex(kServiceReply);
  auto service = ipvs::parse_service(header(bytes));
  ASSERT_TRUE(service);
  EXPECT_EQ(service->key.address, IpAddress::must_parse("10.96.0.10"));
  EXPECT_EQ(service->key.protocol, ipvs::Protocol::kTcp);
  EXPECT_EQ(service->key.port, 80);
  EXPECT_EQ(service->key.fwmark, 0u);
  EXPECT_EQ(service->scheduler, "sh");
  EXPECT_EQ(service->flags, ipvs::flags::kPersistent | ipvs::flags::kHashed |
                                ipvs::flags::kShFallback | ipvs::flags::kShPort);
  EXPECT_EQ(service->timeout, 10800u);
  EXPECT_EQ(service->netmask, 0xffffffffu);
  EXPECT_EQ(service->stats, ipvs::Stats{});
}

TEST(CapturedReplies, IpvsDestination) {
  auto bytes = from_hex(kDestinationReply);
  auto destination = ipvs::parse_destination(header(bytes), AF_INET);
  ASSERT_TRUE(destination);
  EXPECT_EQ(destination->to_string(), "10.244.2.5:8080");
  EXPECT_EQ(destination->weight, 3u);
  EXPECT_EQ(destination->forward, ipvs::ForwardMethod::kTunnel);
  EXPECT_EQ(destination->tunnel_type, ipvs::TunnelType::kGue);
  EXPECT_EQ(destination->tunnel_port, 5555);
  EXPECT_EQ(destination->active_connections, 0u);
  EXPECT_EQ(destination->inactive_connections, 0u);
}

TEST(CapturedReplies, IpvsTimeouts) {
  auto bytes = from_hex(kConfigReply);
  EXPECT_EQ(ipvs::parse_timeouts(header(bytes)), (ipvs::Timeouts{900, 120, 300}));
}

TEST(CapturedReplies, Route) {
  auto bytes = from_hex(kRouteReply);
  auto route = parse_route(header(bytes));
  ASSERT_TRUE(route);
  EXPECT_EQ(route->destination, IpPrefix::must_parse("10.244.1.0/24"));
  EXPECT_EQ(route->gateway, IpAddress::must_parse("10.0.1.11"));
  EXPECT_EQ(route->table, 77u);
  EXPECT_EQ(route->protocol, kProtocolKubeRouter);
  EXPECT_EQ(route->oif, 2);
  EXPECT_EQ(route->type, RouteType::kUnicast);
}

TEST(CapturedReplies, Rule) {
  auto bytes = from_hex(kRuleReply);
  auto rule = parse_rule(header(bytes));
  ASSERT_TRUE(rule);
  EXPECT_EQ(rule->family, AF_INET);
  EXPECT_EQ(rule->priority, 32764u);
  EXPECT_EQ(rule->table, 78u);
  EXPECT_EQ(rule->fwmark, 0x1234u);
  EXPECT_EQ(rule->fwmask, 0u) << "the default all-ones mask reads as 'not set'";
  EXPECT_TRUE(rule->source.address.empty());
}

// Every shorter copy of each reply (with nlmsg_len saying so) decodes to something or
// nothing, never past its end; under ASan an overread would abort.
TEST(CapturedReplies, TruncatedCopiesAreNeverReadPastTheirEnd) {
  for (auto hex : {kServiceReply, kDestinationReply, kConfigReply, kRouteReply, kRuleReply}) {
    auto full = from_hex(hex);
    for (std::size_t length = sizeof(nlmsghdr); length < full.size(); ++length) {
      std::vector<std::uint8_t> cut(full.begin(),
                                    full.begin() + static_cast<std::ptrdiff_t>(length));
      reinterpret_cast<nlmsghdr*>(cut.data())->nlmsg_len = static_cast<std::uint32_t>(length);
      (void)ipvs::parse_service(header(cut));
      (void)ipvs::parse_destination(header(cut), AF_INET);
      (void)ipvs::parse_timeouts(header(cut));
      (void)parse_route(header(cut));
      (void)parse_rule(header(cut));
    }
  }
  auto route = from_hex(kRouteReply);
  route.resize(route.size() - 4);  // the buffer ends before nlmsg_len says
  int seen = 0;
  for_each_message(route, [&](const nlmsghdr*) { ++seen; });
  EXPECT_EQ(seen, 0) << "a message longer than the buffer is not handed out";
}

}  // namespace
}  // namespace kr::netlink
