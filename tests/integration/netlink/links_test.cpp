// Links through the netlink layer, checked with iproute2 in the same fresh
// namespace: bridge (kube-bridge), veth, up/down, MTU, master, delete, and
// the errors a caller gets.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/netlink.h>

#include "kernel/netlink/error.h"
#include "kernel/netlink/link.h"
#include "netns_fixture.h"

namespace kr::test {
namespace {

using netlink::Links;
using netlink::NetlinkError;
using ::testing::HasSubstr;
using ::testing::Not;

class LinksTest : public NetnsTest {};

TEST_F(LinksTest, CreatesABridgeSetsItUpAndChangesItsMtu) {
  Links links(route_socket());
  links.add_bridge("kube-bridge");
  links.set_up("kube-bridge", true);
  links.set_mtu("kube-bridge", 1450);

  std::string shown = ip({"-d", "link", "show", "kube-bridge"});
  EXPECT_THAT(shown, HasSubstr("mtu 1450"));
  EXPECT_THAT(shown, HasSubstr("<BROADCAST,MULTICAST,UP"));
  EXPECT_THAT(shown, HasSubstr("bridge"));

  auto link = links.get("kube-bridge");
  ASSERT_TRUE(link.has_value());
  EXPECT_EQ(link->kind, "bridge");
  EXPECT_EQ(link->mtu, 1450u);
  EXPECT_TRUE(link->up());
  EXPECT_EQ(links.get(link->index)->name, "kube-bridge");

  links.set_up("kube-bridge", false);
  EXPECT_FALSE(links.get("kube-bridge")->up());
  EXPECT_THAT(ip({"link", "show", "kube-bridge"}), Not(HasSubstr(",UP")));
}

TEST_F(LinksTest, VethPairIsListedAndCanBeEnslavedToABridge) {
  Links links(route_socket());
  links.add_veth("veth-a", "veth-b");
  links.add_bridge("br0");
  links.set_master("veth-a", "br0");

  std::vector<std::string> names;
  for (const auto& link : links.list()) names.push_back(link.name);
  EXPECT_THAT(names, ::testing::IsSupersetOf({"lo", "veth-a", "veth-b", "br0"}));
  EXPECT_EQ(links.get("veth-b")->kind, "veth");
  EXPECT_EQ(links.get("veth-a")->master, links.get("br0")->index);
  EXPECT_THAT(ip({"link", "show", "veth-a"}), HasSubstr("master br0"));
}

TEST_F(LinksTest, DeletedLinkIsGone) {
  Links links(route_socket());
  links.add_bridge("br-gone");
  links.remove("br-gone");
  EXPECT_FALSE(links.get("br-gone").has_value());
  EXPECT_THAT(ip({"-o", "link"}), Not(HasSubstr("br-gone")));
}

TEST_F(LinksTest, ErrorsNameTheOperationAndTheKernelsReason) {
  Links links(route_socket());
  links.add_bridge("br-dup");
  try {
    links.add_bridge("br-dup");
    FAIL() << "a second bridge with the same name was accepted";
  } catch (const NetlinkError& error) {
    EXPECT_EQ(error.error(), EEXIST);
    EXPECT_THAT(error.what(), HasSubstr("add bridge link br-dup: File exists"));
  }
  try {
    links.set_mtu("no-such-link", 1400);
    FAIL() << "setting the MTU of a missing link succeeded";
  } catch (const NetlinkError& error) {
    EXPECT_EQ(error.error(), ENODEV);
    EXPECT_THAT(error.what(), HasSubstr("set link no-such-link mtu 1400"));
  }
  EXPECT_THROW(links.add_bridge("a-name-longer-than-15"), std::invalid_argument);
  EXPECT_FALSE(links.get("no-such-link").has_value());
}

TEST_F(LinksTest, SocketsInDifferentNamespacesSeeOnlyTheirOwnLinks) {
  Links links(route_socket());
  links.add_bridge("only-here");
  ScopedNetns other;
  netlink::Socket other_socket(NETLINK_ROUTE, netns_path(other));
  Links other_links(other_socket);
  EXPECT_FALSE(other_links.get("only-here").has_value());
  EXPECT_TRUE(links.get("only-here").has_value());
}

TEST(NetlinkSocket, MissingNamespaceIsAClearError) {
  try {
    netlink::Socket socket(NETLINK_ROUTE, "/var/run/netns/krt-does-not-exist");
    FAIL() << "opened a socket in a namespace that does not exist";
  } catch (const NetlinkError& error) {
    EXPECT_EQ(error.error(), ENOENT);
    EXPECT_THAT(error.what(), HasSubstr("/var/run/netns/krt-does-not-exist"));
  }
}

}  // namespace
}  // namespace kr::test
