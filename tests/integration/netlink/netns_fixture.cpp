#include "netns_fixture.h"

#include <linux/netlink.h>

#include "support/root.h"

namespace kr::test {

std::string netns_path(const ScopedNetns& ns) { return "/var/run/netns/" + ns.name(); }

void NetnsTest::SetUp() {
  KR_REQUIRE_ROOT_AND_TOOLS("ip");
  ns_ = std::make_unique<ScopedNetns>();
  route_socket_ = std::make_unique<netlink::Socket>(NETLINK_ROUTE, netns_path(*ns_));
  generic_socket_ = std::make_unique<netlink::Socket>(NETLINK_GENERIC, netns_path(*ns_));
}

}  // namespace kr::test
