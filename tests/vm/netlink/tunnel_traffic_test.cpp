// Real traffic through an ipip tunnel with GUE encapsulation, built only
// with the netlink layer, as the routing controller does for
// --overlay-type=full with --overlay-encap=fou (routing.md §9.2): two "nodes"
// (namespaces on one underlay link), a FOU receive port on each, a tunnel
// each way, pod-CIDR routes with protocol 17 through the tunnels, and a ping
// between the nodes' pod-side addresses.
#include <gtest/gtest.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#include <memory>
#include <string>

#include "kernel/netlink/address.h"
#include "kernel/netlink/error.h"
#include "kernel/netlink/fou.h"
#include "kernel/netlink/link.h"
#include "kernel/netlink/route.h"
#include "netns_fixture.h"
#include "support/root.h"
#include "support/run.h"
#include "support/veth.h"
#include "vm_kernel.h"

namespace kr::test {
namespace {

using netlink::IpAddress;
using netlink::IpPrefix;

constexpr std::uint16_t kEncapPort = 5555;  // --overlay-encap-port default

// One node: its sockets, a GUE receive port, a tunnel to the peer and a route to the peer's
// pod CIDR through it. Returns false when the kernel lacks fou.
bool build_node(const ScopedNetns& node, const char* local, const char* remote,
                const char* pod_address, const char* peer_pod_cidr) {
  netlink::Socket route_socket(NETLINK_ROUTE, netns_path(node));
  netlink::Socket generic_socket(NETLINK_GENERIC, netns_path(node));
  std::unique_ptr<netlink::Fou> fou;
  try {
    fou = std::make_unique<netlink::Fou>(generic_socket);
  } catch (const netlink::NetlinkError&) {
    return false;
  }
  fou->add({kEncapPort, AF_INET, netlink::FouEncap::kGue, 0});

  netlink::Links links(route_socket);
  netlink::Tunnel tunnel;
  tunnel.local = IpAddress::must_parse(local);
  tunnel.remote = IpAddress::must_parse(remote);
  tunnel.ttl = 225;
  tunnel.encap = netlink::TunnelEncap::kGue;
  tunnel.encap_destination_port = kEncapPort;
  links.add_tunnel("tun-peer", tunnel);
  links.set_up("tun-peer", true);
  const int lo = links.get("lo")->index;
  netlink::Addresses(route_socket)
      .add({lo, IpPrefix::must_parse(pod_address), netlink::Scope::kUniverse});

  netlink::Route route;
  route.destination = IpPrefix::must_parse(peer_pod_cidr);
  route.oif = links.get("tun-peer")->index;
  route.scope = netlink::Scope::kLink;
  route.protocol = netlink::kProtocolKubeRouter;
  route.preferred_source = IpPrefix::must_parse(pod_address).address;
  netlink::Routes(route_socket).replace(route);
  return true;
}

TEST(TunnelTraffic, PingBetweenPodAddressesCrossesAGueTunnel) {
  KR_REQUIRE_ROOT_AND_TOOLS("ip", "ping");
  ScopedNetns node_a, node_b;
  connect_veth({node_a.name(), "eth0", "192.168.77.1/24"},
               {node_b.name(), "eth0", "192.168.77.2/24"});
  bool have_fou =
      build_node(node_a, "192.168.77.1", "192.168.77.2", "10.244.1.1/32", "10.244.2.0/24");
  KR_REQUIRE_KERNEL_FEATURE(have_fou, "fou (GUE) tunnels");
  ASSERT_TRUE(build_node(node_b, "192.168.77.2", "192.168.77.1", "10.244.2.1/32", "10.244.1.0/24"));

  RunResult ping = node_a.run({"ping", "-c", "2", "-W", "10", "-I", "10.244.1.1", "10.244.2.1"});
  EXPECT_TRUE(ping.ok()) << ping.describe({"ping", "10.244.2.1"});
  // The echo requests left through the tunnel device (and came back decapsulated by the
  // peer's GUE port, or ping would have failed). `ip netns exec` shows the namespace's /sys.
  RunOptions via_ip;
  via_ip.netns_entry = NetnsEntry::kIpNetnsExec;
  RunResult sent = node_a.run({"cat", "/sys/class/net/tun-peer/statistics/tx_packets"}, via_ip);
  ASSERT_TRUE(sent.ok()) << sent.err;
  EXPECT_GE(std::stoi(sent.out), 2);
}

}  // namespace
}  // namespace kr::test
