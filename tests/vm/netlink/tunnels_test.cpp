// Link kinds this CI kernel lacks, in a fresh namespace under the VM's
// kernel: kube-dummy-if (dummy), ipip and ip6tnl tunnels with and without GUE
// encapsulation (routing.md §9.2), and FOU receive ports.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>

#include "kernel/netlink/address.h"
#include "kernel/netlink/error.h"
#include "kernel/netlink/fou.h"
#include "kernel/netlink/link.h"
#include "netns_fixture.h"
#include "vm_kernel.h"

namespace kr::test {
namespace {

using netlink::Fou;
using netlink::FouEncap;
using netlink::FouPort;
using netlink::IpAddress;
using netlink::Links;
using netlink::NetlinkError;
using netlink::Tunnel;
using netlink::TunnelEncap;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

bool can_create(Links& links, void (*create)(Links&)) {
  try {
    create(links);
    return true;
  } catch (const NetlinkError&) {
    return false;  // EOPNOTSUPP: the kernel has no such link kind
  }
}

class TunnelsTest : public NetnsTest {};

TEST_F(TunnelsTest, DummyInterfaceForServiceVips) {
  Links links(route_socket());
  KR_REQUIRE_KERNEL_FEATURE(can_create(links, [](Links& l) { l.add_dummy("kube-dummy-if"); }),
                            "dummy links");
  links.set_up("kube-dummy-if", true);
  auto link = links.get("kube-dummy-if");
  ASSERT_TRUE(link);
  EXPECT_EQ(link->kind, "dummy");
  EXPECT_TRUE(link->up());
  EXPECT_THAT(ip({"-d", "link", "show", "kube-dummy-if"}), HasSubstr("dummy"));
}

TEST_F(TunnelsTest, PlainIpipTunnelToANode) {
  Links links(route_socket());
  Tunnel tunnel;
  tunnel.local = IpAddress::must_parse("10.0.1.10");
  tunnel.remote = IpAddress::must_parse("10.0.2.10");
  KR_REQUIRE_KERNEL_FEATURE(can_create(links,
                                       [](Links& l) {
                                         Tunnel t;
                                         t.remote = IpAddress::must_parse("192.0.2.1");
                                         l.add_tunnel("probe-ipip", t);
                                       }),
                            "ipip tunnels");
  links.add_tunnel("tun-0cd19803993", tunnel);
  links.set_up("tun-0cd19803993", true);

  std::string shown = ip({"-d", "link", "show", "tun-0cd19803993"});
  EXPECT_THAT(shown, HasSubstr("ipip ipip remote 10.0.2.10 local 10.0.1.10"));
  auto link = links.get("tun-0cd19803993");
  ASSERT_TRUE(link && link->tunnel);
  EXPECT_EQ(link->kind, "ipip");
  EXPECT_EQ(link->tunnel->remote, tunnel.remote);
  EXPECT_EQ(link->tunnel->local, tunnel.local);
  EXPECT_EQ(link->tunnel->encap, TunnelEncap::kNone);
}

TEST_F(TunnelsTest, GueEncapsulatedIpipAndIp6tnlTunnels) {
  Links links(route_socket());
  Tunnel v4;
  v4.local = IpAddress::must_parse("10.0.1.10");
  v4.remote = IpAddress::must_parse("10.0.0.1");
  v4.ttl = 225;  // upstream's literal TTL for fou tunnels (routing.md §9.2)
  v4.encap = TunnelEncap::kGue;
  v4.encap_destination_port = 5555;
  KR_REQUIRE_KERNEL_FEATURE(can_create(links,
                                       [](Links& l) {
                                         Tunnel t;
                                         t.remote = IpAddress::must_parse("192.0.2.1");
                                         t.encap = TunnelEncap::kGue;
                                         t.encap_destination_port = 1;
                                         l.add_tunnel("probe-gue", t);
                                       }),
                            "FOU/GUE tunnel encapsulation");
  links.add_tunnel("tun-e443169117a", v4);
  std::string shown = ip({"-d", "link", "show", "tun-e443169117a"});
  EXPECT_THAT(shown, HasSubstr("remote 10.0.0.1 local 10.0.1.10 ttl 225"));
  EXPECT_THAT(shown, HasSubstr("encap gue encap-sport auto encap-dport 5555"));
  auto link = links.get("tun-e443169117a");
  ASSERT_TRUE(link && link->tunnel);
  EXPECT_EQ(link->tunnel->encap, TunnelEncap::kGue);
  EXPECT_EQ(link->tunnel->encap_destination_port, 5555);
  EXPECT_EQ(link->tunnel->encap_source_port, 0) << "0 is 'auto'";
  EXPECT_EQ(link->tunnel->ttl, 225);

  Tunnel v6;
  v6.local = IpAddress::must_parse("fd00:1::10");
  v6.remote = IpAddress::must_parse("2001:db8:1::10");
  v6.ttl = 225;
  v6.encap = TunnelEncap::kGue;
  v6.encap_destination_port = 5555;
  links.add_tunnel("tun-26d03cbda26", v6);
  shown = ip({"-d", "link", "show", "tun-26d03cbda26"});
  EXPECT_THAT(shown, HasSubstr("ip6tnl ip6ip6 remote 2001:db8:1::10 local fd00:1::10"));
  EXPECT_THAT(shown, HasSubstr("encap gue"));
  auto v6_link = links.get("tun-26d03cbda26");
  ASSERT_TRUE(v6_link && v6_link->tunnel);
  EXPECT_EQ(v6_link->kind, "ip6tnl");
  EXPECT_EQ(v6_link->tunnel->remote, v6.remote);
}

TEST_F(TunnelsTest, FouPortsAddListAndDelete) {
  std::unique_ptr<Fou> fou;
  try {
    fou = std::make_unique<Fou>(generic_socket());
  } catch (const NetlinkError&) {
    // fou.ko is not loaded on demand: run-vm-tier.sh loads it (vm.sh --modules fou).
  }
  KR_REQUIRE_KERNEL_FEATURE(fou != nullptr, "the fou generic netlink family (fou.ko)");
  FouPort gue{5555, AF_INET, FouEncap::kGue, 0};
  FouPort gue6{5555, AF_INET6, FouEncap::kGue, 0};
  FouPort direct{5556, AF_INET, FouEncap::kDirect, 4};
  fou->add(gue);
  fou->add(gue6);
  fou->add(direct);
  std::string shown = ip({"fou", "show"});
  EXPECT_THAT(shown, HasSubstr("port 5555 gue"));
  EXPECT_THAT(shown, HasSubstr("port 5556 ipproto 4"));
  auto ports = fou->list();
  EXPECT_THAT(ports, Contains(gue));
  EXPECT_THAT(ports, Contains(gue6));
  EXPECT_THAT(ports, Contains(direct));

  try {
    fou->add(gue);
    FAIL() << "the same fou port was added twice";
  } catch (const NetlinkError& error) {
    EXPECT_EQ(error.error(), EADDRINUSE);
    EXPECT_THAT(error.what(), HasSubstr("add fou port 5555: Address already in use"));
  }
  fou->remove(gue);
  EXPECT_THAT(fou->list(), Not(Contains(gue)));
  EXPECT_THAT(ip({"fou", "show"}), Not(HasSubstr("port 5555 gue\n")));
}

}  // namespace
}  // namespace kr::test
