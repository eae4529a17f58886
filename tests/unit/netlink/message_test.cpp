// Request encoding: the bytes libmnl lays out are what the kernel expects
// (header, aligned attributes, nests), checked by decoding them back.
#include "kernel/netlink/message.h"

#include <gtest/gtest.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "kernel/netlink/route.h"

namespace kr::netlink {
namespace {

TEST(Message, HeaderAttributesAndNestsRoundTrip) {
  Message message(RTM_NEWLINK, NLM_F_CREATE, "test");
  message.put_header<rtmsg>().rtm_table = 77;
  message.put_u32(1, 0xdeadbeef);
  message.put_string(2, "kube-dummy-if");
  message.put_be16(3, 5555);
  auto nest = message.begin_nest(4);
  message.put_u8(1, 7);
  message.put_flag(2);
  message.end_nest(nest);

  const nlmsghdr* nlh = message.header();
  EXPECT_EQ(nlh->nlmsg_type, RTM_NEWLINK);
  EXPECT_EQ(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_CREATE);
  EXPECT_EQ(nlh->nlmsg_len % 4, 0u) << "netlink messages are 4-byte aligned";
  EXPECT_EQ(family_header<rtmsg>(nlh)->rtm_table, 77);

  auto attributes = Attributes::of_message(nlh, sizeof(rtmsg), 4);
  EXPECT_EQ(attributes.u32(1), 0xdeadbeefu);
  EXPECT_EQ(attributes.string(2), "kube-dummy-if");
  EXPECT_EQ(attributes.be16(3), 5555);
  auto bytes = attributes.bytes(3);
  ASSERT_EQ(bytes.size(), 2u);
  EXPECT_EQ(bytes[0], 0x15) << "ports go on the wire in network byte order";
  EXPECT_EQ(bytes[1], 0xb3);
  auto inner = Attributes::of_nest(attributes.nested(4), 2);
  EXPECT_EQ(inner.u8(1), 7);
  EXPECT_TRUE(inner.has(2));
  EXPECT_FALSE(inner.u32(1)) << "a 1-byte attribute does not read as u32";
}

TEST(Message, OverflowingTheBufferThrowsInsteadOfWritingPastIt) {
  Message message(RTM_NEWROUTE, 0, "big");
  std::vector<std::uint8_t> chunk(1500, 0xab);
  message.put_bytes(1, chunk);
  message.put_bytes(1, chunk);
  EXPECT_THROW(message.put_bytes(1, chunk), std::length_error);
  EXPECT_LE(message.size(), Message::kCapacity);
}

TEST(RouteRequest, CarriesTableProtocolScopeAndAddresses) {
  Route route;
  route.destination = IpPrefix::must_parse("10.244.2.0/24");
  route.table = 1000;  // above 255: only RTA_TABLE can carry it
  route.protocol = kProtocolKubeRouter;
  route.scope = Scope::kLink;
  route.oif = 7;
  route.preferred_source = IpAddress::must_parse("10.0.1.10");
  route.onlink = true;
  Message request = route_request(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, "replace", route);
  EXPECT_EQ(request.operation(), "replace route 10.244.2.0/24 table 1000 dev #7");

  const auto* header = family_header<rtmsg>(request.header());
  EXPECT_EQ(header->rtm_family, AF_INET);
  EXPECT_EQ(header->rtm_dst_len, 24);
  EXPECT_EQ(header->rtm_table, RT_TABLE_UNSPEC);
  EXPECT_EQ(header->rtm_protocol, 17);
  EXPECT_EQ(header->rtm_scope, RT_SCOPE_LINK);
  EXPECT_EQ(header->rtm_flags & RTNH_F_ONLINK, RTNH_F_ONLINK);
  auto attributes = Attributes::of_message(request.header(), sizeof(rtmsg), RTA_MAX);
  EXPECT_EQ(attributes.u32(RTA_TABLE), 1000u);
  EXPECT_EQ(attributes.u32(RTA_OIF), 7u);
  EXPECT_EQ(attributes.address(RTA_DST), IpAddress::must_parse("10.244.2.0"));
  EXPECT_EQ(attributes.address(RTA_PREFSRC), IpAddress::must_parse("10.0.1.10"));
  EXPECT_FALSE(attributes.has(RTA_GATEWAY));

  // The request decodes back into the same route, as a kernel reply would.
  request.header()->nlmsg_type = RTM_NEWROUTE;
  EXPECT_EQ(parse_route(request.header()), route);
}

TEST(RouteRequest, RejectsMixedFamilies) {
  Route route;
  route.destination = IpPrefix::must_parse("10.244.2.0/24");
  route.gateway = IpAddress::must_parse("fd00::1");
  EXPECT_THROW(route_request(RTM_NEWROUTE, 0, "add", route), std::invalid_argument);
  EXPECT_THROW(route_request(RTM_NEWROUTE, 0, "add", Route{}), std::invalid_argument);
}

}  // namespace
}  // namespace kr::netlink
