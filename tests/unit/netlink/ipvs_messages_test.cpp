// IPVS generic netlink requests: every attribute the kernel requires for a
// full service or destination entry, with the right widths and byte orders.
#include <gtest/gtest.h>
#include <linux/genetlink.h>
#include <linux/ip_vs.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

#include "kernel/ipvs/messages.h"

namespace kr::ipvs {
namespace {

using netlink::Attributes;
using netlink::IpAddress;

const GenlFamily kFamily{0x1d, 1, IPVS_CMD_ATTR_MAX};

Attributes top(const Message& message) {
  return netlink::genl_attributes(message.header(), IPVS_CMD_ATTR_MAX);
}

TEST(IpvsRequests, AddServiceCarriesTheFullEntry) {
  Service service;
  service.key = {IpAddress::must_parse("10.96.0.10"), Protocol::kTcp, 80};
  service.scheduler = "sh";
  service.flags = flags::kPersistent | flags::kShFallback | flags::kShPort;
  service.timeout = 10800;
  service.netmask = Service::host_netmask(AF_INET);
  Message request = add_service_request(kFamily, service);

  EXPECT_EQ(request.header()->nlmsg_type, kFamily.id);
  EXPECT_EQ(netlink::family_header<genlmsghdr>(request.header())->cmd, IPVS_CMD_NEW_SERVICE);
  EXPECT_EQ(request.operation(), "add IPVS service 10.96.0.10:80/tcp");
  auto svc = Attributes::of_nest(top(request).nested(IPVS_CMD_ATTR_SERVICE), IPVS_SVC_ATTR_MAX);
  EXPECT_EQ(svc.u16(IPVS_SVC_ATTR_AF), AF_INET);
  EXPECT_EQ(svc.u16(IPVS_SVC_ATTR_PROTOCOL), IPPROTO_TCP);
  EXPECT_EQ(svc.bytes(IPVS_SVC_ATTR_ADDR).size(), 16u) << "the whole nf_inet_addr union";
  EXPECT_EQ(svc.address(IPVS_SVC_ATTR_ADDR, AF_INET), service.key.address);
  EXPECT_EQ(svc.be16(IPVS_SVC_ATTR_PORT), 80);
  EXPECT_EQ(svc.string(IPVS_SVC_ATTR_SCHED_NAME), "sh");
  auto raw_flags = svc.bytes(IPVS_SVC_ATTR_FLAGS);
  ASSERT_EQ(raw_flags.size(), sizeof(ip_vs_flags));
  ip_vs_flags decoded;
  std::memcpy(&decoded, raw_flags.data(), sizeof(decoded));
  EXPECT_EQ(decoded.flags, 0x19u);
  EXPECT_EQ(decoded.mask, 0xffffffffu);
  EXPECT_EQ(svc.u32(IPVS_SVC_ATTR_TIMEOUT), 10800u);
  EXPECT_EQ(svc.u32(IPVS_SVC_ATTR_NETMASK), 0xffffffffu);
  EXPECT_FALSE(svc.has(IPVS_SVC_ATTR_FWMARK));
}

TEST(IpvsRequests, FwmarkServiceIsIdentifiedByMarkAndFamilyOnly) {
  ServiceKey key;
  key.fwmark = 4660;
  key.family = AF_INET6;
  Message request = remove_service_request(kFamily, key);
  EXPECT_EQ(request.operation(), "delete IPVS service fwmark 4660/inet6");
  auto svc = Attributes::of_nest(top(request).nested(IPVS_CMD_ATTR_SERVICE), IPVS_SVC_ATTR_MAX);
  EXPECT_EQ(svc.u16(IPVS_SVC_ATTR_AF), AF_INET6);
  EXPECT_EQ(svc.u32(IPVS_SVC_ATTR_FWMARK), 4660u);
  EXPECT_FALSE(svc.has(IPVS_SVC_ATTR_ADDR));
  EXPECT_FALSE(svc.has(IPVS_SVC_ATTR_PORT));
}

TEST(IpvsRequests, TunnelDestinationWithGueAndThresholds) {
  ServiceKey key{IpAddress::must_parse("fd00::10"), Protocol::kUdp, 53};
  Destination destination;
  destination.address = IpAddress::must_parse("fd00:244::5");
  destination.port = 5353;
  destination.weight = 0;
  destination.forward = ForwardMethod::kTunnel;
  destination.tunnel_type = TunnelType::kGue;
  destination.tunnel_port = 5555;
  destination.upper_threshold = 100;
  destination.lower_threshold = 10;
  Message request = add_destination_request(kFamily, key, destination);
  EXPECT_EQ(request.operation(), "add IPVS destination [fd00:244::5]:5353 of [fd00::10]:53/udp");

  auto dest = Attributes::of_nest(top(request).nested(IPVS_CMD_ATTR_DEST), IPVS_DEST_ATTR_MAX);
  EXPECT_EQ(dest.address(IPVS_DEST_ATTR_ADDR, AF_INET6), destination.address);
  EXPECT_EQ(dest.be16(IPVS_DEST_ATTR_PORT), 5353);
  EXPECT_EQ(dest.u16(IPVS_DEST_ATTR_ADDR_FAMILY), AF_INET6);
  EXPECT_EQ(dest.u32(IPVS_DEST_ATTR_FWD_METHOD), IP_VS_CONN_F_TUNNEL);
  EXPECT_EQ(dest.u32(IPVS_DEST_ATTR_WEIGHT), 0u);
  EXPECT_EQ(dest.u8(IPVS_DEST_ATTR_TUN_TYPE), IP_VS_CONN_F_TUNNEL_TYPE_GUE);
  EXPECT_EQ(dest.be16(IPVS_DEST_ATTR_TUN_PORT), 5555);
  EXPECT_EQ(dest.u32(IPVS_DEST_ATTR_U_THRESH), 100u);
  EXPECT_EQ(dest.u32(IPVS_DEST_ATTR_L_THRESH), 10u);
  auto svc = Attributes::of_nest(top(request).nested(IPVS_CMD_ATTR_SERVICE), IPVS_SVC_ATTR_MAX);
  EXPECT_EQ(svc.u16(IPVS_SVC_ATTR_PROTOCOL), IPPROTO_UDP);
  EXPECT_FALSE(svc.has(IPVS_SVC_ATTR_SCHED_NAME)) << "destination requests name the service only";
}

TEST(IpvsRequests, RemoveDestinationSendsOnlyItsIdentity) {
  ServiceKey key{IpAddress::must_parse("10.96.0.10"), Protocol::kSctp, 9000};
  Destination destination;
  destination.address = IpAddress::must_parse("10.244.1.5");
  destination.port = 9000;
  Message request = remove_destination_request(kFamily, key, destination);
  auto dest = Attributes::of_nest(top(request).nested(IPVS_CMD_ATTR_DEST), IPVS_DEST_ATTR_MAX);
  EXPECT_TRUE(dest.has(IPVS_DEST_ATTR_ADDR));
  EXPECT_FALSE(dest.has(IPVS_DEST_ATTR_WEIGHT));
  auto svc = Attributes::of_nest(top(request).nested(IPVS_CMD_ATTR_SERVICE), IPVS_SVC_ATTR_MAX);
  EXPECT_EQ(svc.u16(IPVS_SVC_ATTR_PROTOCOL), IPPROTO_SCTP);
}

TEST(IpvsRequests, TimeoutsAndFlush) {
  Message request = set_timeouts_request(kFamily, {900, 120, 300});
  EXPECT_EQ(top(request).u32(IPVS_CMD_ATTR_TIMEOUT_TCP), 900u);
  EXPECT_EQ(top(request).u32(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN), 120u);
  EXPECT_EQ(top(request).u32(IPVS_CMD_ATTR_TIMEOUT_UDP), 300u);
  EXPECT_EQ(netlink::family_header<genlmsghdr>(flush_request(kFamily).header())->cmd,
            IPVS_CMD_FLUSH);
  EXPECT_EQ(list_services_request(kFamily).header()->nlmsg_flags & NLM_F_DUMP, NLM_F_DUMP);
}

TEST(IpvsRequests, InvalidInputIsRefusedBeforeReachingTheKernel) {
  Service no_scheduler;
  no_scheduler.key = {IpAddress::must_parse("10.0.0.1"), Protocol::kTcp, 80};
  no_scheduler.scheduler = "";
  EXPECT_THROW(add_service_request(kFamily, no_scheduler), std::invalid_argument);
  Service long_scheduler = no_scheduler;
  long_scheduler.scheduler = std::string(16, 'x');
  EXPECT_THROW(add_service_request(kFamily, long_scheduler), std::invalid_argument);
  Service no_address;
  EXPECT_THROW(add_service_request(kFamily, no_address), std::invalid_argument);
  EXPECT_THROW(add_destination_request(kFamily, no_scheduler.key, Destination{}),
               std::invalid_argument);
}

TEST(ServiceKey, IdentityIgnoresFieldsOfTheOtherKind) {
  ServiceKey listed = {IpAddress::must_parse("10.96.0.10"), Protocol::kTcp, 80};
  listed.family = AF_INET;  // the kernel reports it; callers usually leave it 0
  EXPECT_EQ(listed, (ServiceKey{IpAddress::must_parse("10.96.0.10"), Protocol::kTcp, 80}));
  EXPECT_NE(listed, (ServiceKey{IpAddress::must_parse("10.96.0.10"), Protocol::kUdp, 80}));
  ServiceKey mark_v4;
  mark_v4.fwmark = 7;
  mark_v4.family = AF_INET;
  ServiceKey mark_v6 = mark_v4;
  mark_v6.family = AF_INET6;
  EXPECT_NE(mark_v4, mark_v6);
  EXPECT_NE(mark_v4, listed);
}

}  // namespace
}  // namespace kr::ipvs
