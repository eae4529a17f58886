// Interface addresses through the netlink layer, as `ip addr` shows them:
// IPv4 and IPv6, scope link for VIPs (proxy.md §4.5), delete, errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>

#include "kernel/netlink/address.h"
#include "kernel/netlink/error.h"
#include "kernel/netlink/link.h"
#include "netns_fixture.h"

namespace kr::test {
namespace {

using netlink::Address;
using netlink::Addresses;
using netlink::IpPrefix;
using netlink::Links;
using netlink::NetlinkError;
using netlink::Scope;
using ::testing::HasSubstr;
using ::testing::Not;

class AddressesTest : public NetnsTest {
 protected:
  void SetUp() override {
    NetnsTest::SetUp();
    if (IsSkipped()) return;
    Links links(route_socket());
    links.add_bridge("br0");
    links.set_up("br0", true);
    index_ = links.get("br0")->index;
  }
  int index_ = 0;
};

TEST_F(AddressesTest, AddsIpv4AndIpv6AddressesWithTheirScope) {
  Addresses addresses(route_socket());
  addresses.add({index_, IpPrefix::must_parse("10.1.0.1/24"), Scope::kUniverse});
  addresses.add({index_, IpPrefix::must_parse("10.96.0.10/32"), Scope::kLink});
  addresses.add({index_, IpPrefix::must_parse("fd00:10::1/64"), Scope::kUniverse});

  std::string shown = ip({"-o", "addr", "show", "dev", "br0"});
  EXPECT_THAT(shown, HasSubstr("inet 10.1.0.1/24"));
  EXPECT_THAT(shown, HasSubstr("inet 10.96.0.10/32 scope link"));
  EXPECT_THAT(shown, HasSubstr("inet6 fd00:10::1/64"));

  auto v4 = addresses.list(AF_INET, index_);
  EXPECT_THAT(v4, ::testing::UnorderedElementsAre(
                      Address{index_, IpPrefix::must_parse("10.1.0.1/24"), Scope::kUniverse},
                      Address{index_, IpPrefix::must_parse("10.96.0.10/32"), Scope::kLink}));
  auto v6 = addresses.list(AF_INET6, index_);
  EXPECT_THAT(v6, ::testing::Contains(
                      Address{index_, IpPrefix::must_parse("fd00:10::1/64"), Scope::kUniverse}));
}

TEST_F(AddressesTest, RemovesAnAddressAndReportsMissingOnes) {
  Addresses addresses(route_socket());
  Address vip{index_, IpPrefix::must_parse("10.96.0.10/32"), Scope::kLink};
  addresses.add(vip);
  EXPECT_THROW(addresses.add(vip), NetlinkError);
  addresses.remove(vip);
  EXPECT_THAT(ip({"-o", "addr", "show", "dev", "br0"}), Not(HasSubstr("10.96.0.10")));
  try {
    addresses.remove(vip);
    FAIL() << "removing a missing address succeeded";
  } catch (const NetlinkError& error) {
    EXPECT_EQ(error.error(), EADDRNOTAVAIL);
    EXPECT_THAT(error.what(), HasSubstr("delete address 10.96.0.10/32"));
  }
}

}  // namespace
}  // namespace kr::test
