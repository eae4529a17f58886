// Routes through the netlink layer as `ip route` shows them: kube-router's
// protocol 17 routes in the main table and table 77, a local route in table
// 78 (DSR), replace in place, onlink gateways, flush by protocol.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>

#include "kernel/netlink/address.h"
#include "kernel/netlink/error.h"
#include "kernel/netlink/link.h"
#include "kernel/netlink/route.h"
#include "netns_fixture.h"

namespace kr::test {
namespace {

using netlink::Addresses;
using netlink::IpAddress;
using netlink::IpPrefix;
using netlink::kProtocolKubeRouter;
using netlink::Links;
using netlink::NetlinkError;
using netlink::Route;
using netlink::RouteFilter;
using netlink::Routes;
using netlink::RouteType;
using netlink::Scope;
using ::testing::HasSubstr;
using ::testing::Not;

RouteFilter filter(int family, std::uint32_t table, std::uint8_t protocol = 0) {
  RouteFilter filter;
  filter.family = family;
  filter.table = table;
  filter.protocol = protocol;
  return filter;
}

class RoutesTest : public NetnsTest {
 protected:
  void SetUp() override {
    NetnsTest::SetUp();
    if (IsSkipped()) return;
    Links links(route_socket());
    links.add_veth("eth0", "peer0");
    links.set_up("eth0", true);
    links.set_up("peer0", true);
    eth0_ = links.get("eth0")->index;
    lo_ = links.get("lo")->index;
    Addresses(route_socket()).add({eth0_, IpPrefix::must_parse("10.0.1.10/24"), Scope::kUniverse});
  }

  static Route pod_route(const char* destination, const char* gateway, std::uint32_t table) {
    Route route;
    route.destination = IpPrefix::must_parse(destination);
    route.gateway = IpAddress::must_parse(gateway);
    route.table = table;
    route.protocol = kProtocolKubeRouter;
    return route;
  }

  int eth0_ = 0;
  int lo_ = 0;
};

TEST_F(RoutesTest, AddsProtocol17RoutesToMainAndTable77) {
  Routes routes(route_socket());
  routes.add(pod_route("10.244.1.0/24", "10.0.1.11", netlink::kTableMain));
  Route host_route;
  host_route.destination = IpPrefix::must_parse("10.0.2.10/32");
  host_route.oif = eth0_;
  host_route.table = 77;
  host_route.scope = Scope::kLink;
  routes.add(host_route);

  EXPECT_THAT(ip({"route", "show", "proto", "17"}),
              HasSubstr("10.244.1.0/24 via 10.0.1.11 dev eth0"));
  EXPECT_THAT(ip({"route", "show", "table", "77"}), HasSubstr("10.0.2.10 dev eth0"));

  auto listed = routes.list(filter(AF_INET, 77));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].destination, IpPrefix::must_parse("10.0.2.10/32"));
  EXPECT_EQ(listed[0].oif, eth0_);
  EXPECT_EQ(listed[0].scope, Scope::kLink);
  auto ours = routes.list(filter(AF_INET, 0, kProtocolKubeRouter));
  ASSERT_EQ(ours.size(), 1u);
  EXPECT_EQ(ours[0].gateway, IpAddress::must_parse("10.0.1.11"));
  EXPECT_EQ(ours[0].oif, eth0_) << "the kernel resolves the gateway's interface";
}

TEST_F(RoutesTest, ReplaceChangesTheGatewayInPlaceAndAddRefusesADuplicate) {
  Routes routes(route_socket());
  routes.add(pod_route("10.244.1.0/24", "10.0.1.11", netlink::kTableMain));
  EXPECT_THROW(routes.add(pod_route("10.244.1.0/24", "10.0.1.11", netlink::kTableMain)),
               NetlinkError);
  routes.replace(pod_route("10.244.1.0/24", "10.0.1.12", netlink::kTableMain));
  std::string shown = ip({"route", "show", "10.244.1.0/24"});
  EXPECT_THAT(shown, HasSubstr("via 10.0.1.12"));
  EXPECT_THAT(shown, Not(HasSubstr("10.0.1.11")));
}

TEST_F(RoutesTest, OnlinkGatewayAndPreferredSource) {
  Routes routes(route_socket());
  Route route = pod_route("10.244.9.0/24", "192.168.50.1", netlink::kTableMain);
  route.oif = eth0_;
  route.onlink = true;  // the gateway is outside every prefix of eth0
  route.preferred_source = IpAddress::must_parse("10.0.1.10");
  routes.add(route);
  EXPECT_THAT(ip({"route", "show", "10.244.9.0/24"}),
              HasSubstr("via 192.168.50.1 dev eth0 proto 17 src 10.0.1.10 onlink"));
  auto listed = routes.list(filter(AF_INET, 0, kProtocolKubeRouter));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_TRUE(listed[0].onlink);
  EXPECT_EQ(listed[0].preferred_source, IpAddress::must_parse("10.0.1.10"));
}

TEST_F(RoutesTest, LocalDefaultRouteInTable78ForDsr) {
  Routes routes(route_socket());
  // proxy.md §8.4: `local 0.0.0.0/0 dev lo scope host` in table 78.
  Route route;
  route.destination = IpPrefix::must_parse("0.0.0.0/0");
  route.table = 78;
  route.type = RouteType::kLocal;
  route.scope = Scope::kHost;
  route.oif = lo_;
  routes.add(route);
  EXPECT_THAT(ip({"route", "show", "table", "78"}), HasSubstr("local default dev lo"));
  auto listed = routes.list(filter(0, 78));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].type, RouteType::kLocal);
  EXPECT_EQ(listed[0].destination.length, 0);
}

TEST_F(RoutesTest, Ipv6RouteInTable77) {
  Addresses(route_socket()).add({eth0_, IpPrefix::must_parse("fd00:1::10/64"), Scope::kUniverse});
  Routes routes(route_socket());
  Route route;
  route.destination = IpPrefix::must_parse("fd00:2::10/128");
  route.oif = eth0_;
  route.table = 77;
  routes.add(route);
  EXPECT_THAT(ip({"-6", "route", "show", "table", "77"}), HasSubstr("fd00:2::10 dev eth0"));
  EXPECT_EQ(routes.list(filter(AF_INET6, 77)).size(), 1u);
}

TEST_F(RoutesTest, FlushByProtocolRemovesOnlyKubeRouterRoutesInEveryTable) {
  Routes routes(route_socket());
  routes.add(pod_route("10.244.1.0/24", "10.0.1.11", netlink::kTableMain));
  routes.add(pod_route("10.244.2.0/24", "10.0.1.12", 77));
  Route other = pod_route("10.50.0.0/16", "10.0.1.1", netlink::kTableMain);
  other.protocol = netlink::kProtocolBoot;
  routes.add(other);

  EXPECT_EQ(routes.flush(filter(0, 0, kProtocolKubeRouter)), 2u);
  EXPECT_THAT(ip({"route", "show", "table", "all"}), Not(HasSubstr("proto 17")));
  EXPECT_THAT(ip({"route", "show"}), HasSubstr("10.50.0.0/16 via 10.0.1.1"));
  EXPECT_EQ(routes.flush(filter(0, 0, kProtocolKubeRouter)), 0u);
}

TEST_F(RoutesTest, DeletingAMissingRouteNamesIt) {
  Routes routes(route_socket());
  try {
    routes.remove(pod_route("10.244.7.0/24", "10.0.1.11", 77));
    FAIL() << "deleted a route that does not exist";
  } catch (const NetlinkError& error) {
    EXPECT_EQ(error.error(), ESRCH);
    EXPECT_THAT(error.what(), HasSubstr("delete route 10.244.7.0/24 table 77"));
  }
}

}  // namespace
}  // namespace kr::test
