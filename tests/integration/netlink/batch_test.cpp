// Batched requests: many routes added with one sendmsg per batch buffer, one ack
// each, and a failing request reported at its own position without stopping
// the others.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/rtnetlink.h>

#include "kernel/netlink/link.h"
#include "kernel/netlink/route.h"
#include "netns_fixture.h"

namespace kr::test {
namespace {

using netlink::IpPrefix;
using netlink::Links;
using netlink::Message;
using netlink::Route;
using netlink::route_request;
using netlink::Routes;

netlink::RouteFilter table77() {
  netlink::RouteFilter filter;
  filter.table = 77;
  return filter;
}

class BatchTest : public NetnsTest {};

TEST_F(BatchTest, ThousandRoutesInBatchesWithOneFailureReportedInPlace) {
  Links links(route_socket());
  links.add_bridge("br0");
  links.set_up("br0", true);
  const int index = links.get("br0")->index;

  std::vector<Message> requests;
  for (int i = 0; i < 1000; ++i) {
    Route route;
    route.destination = IpPrefix::must_parse("10.200." + std::to_string(i / 250) + "." +
                                             std::to_string(i % 250) + "/32");
    route.oif = index;
    route.table = 77;
    route.protocol = netlink::kProtocolKubeRouter;
    requests.push_back(route_request(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, "add", route));
    if (i == 500) {  // the same route again: EEXIST, for this request only
      requests.push_back(route_request(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, "add", route));
    }
  }
  ASSERT_GT(requests.size(), netlink::Socket::kBatchMessages)
      << "the batch must span several sendmsg() buffers";

  auto results = route_socket().execute_batch(requests);
  ASSERT_EQ(results.size(), 1001u);
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (i == 501) {
      EXPECT_EQ(results[i].error, EEXIST);
    } else {
      EXPECT_EQ(results[i].error, 0) << "request " << i << ": " << results[i].kernel_message;
    }
  }
  EXPECT_EQ(Routes(route_socket()).list(table77()).size(), 1000u);
  std::string shown = ip({"route", "show", "table", "77"});
  EXPECT_THAT(shown, ::testing::HasSubstr("10.200.3.249 dev br0 proto 17"));
  EXPECT_EQ(Routes(route_socket()).flush(table77()), 1000u);
}

}  // namespace
}  // namespace kr::test
