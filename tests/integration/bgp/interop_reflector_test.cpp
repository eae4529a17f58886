// Our speaker as route-reflector server (RFC 4456) for two gobgpd clients in
// the same AS: each client's routes reach the other with ORIGINATOR_ID and
// our cluster ID in CLUSTER_LIST, next hop unchanged.
#include "interop_fixture.h"

namespace kr::test {
namespace {

using ::testing::ElementsAre;

GobgpConfig client(const std::string& id, const std::string& server) {
  return {.asn = 64512,
          .router_id = id,
          .listen_addresses = {id},
          .neighbors = {{.address = server, .peer_as = 64512}}};
}

TEST_F(InteropTest, ReflectsBetweenTwoClients) {
  KR_REQUIRE_ROOT_AND_TOOLS("ip", "gobgpd", "gobgp");
  ours_ = std::make_unique<ScopedNetns>();
  theirs_ = std::make_unique<ScopedNetns>();
  ScopedNetns other;
  connect_veth({ours_->name(), "c1", "10.0.1.1/24"}, {theirs_->name(), "eth0", "10.0.1.2/24"});
  connect_veth({ours_->name(), "c2", "10.0.2.1/24"}, {other.name(), "eth0", "10.0.2.2/24"});
  GobgpdPeer c1(*theirs_, dir_.file("c1"), client("10.0.1.2", "10.0.1.1"));
  GobgpdPeer c2(other, dir_.file("c2"), client("10.0.2.2", "10.0.2.1"));
  c1.start();
  c2.start();
  SpeakerProcess& ours = speaker(R"(
asn: 64512
router_id: 10.0.1.1
listen_addresses: [10.0.1.1, 10.0.2.1]
neighbors:
  - {address: 10.0.1.2, asn: 64512, local_address: 10.0.1.1, connect_retry: 3,
     route_reflector_client: true}
  - {address: 10.0.2.2, asn: 64512, local_address: 10.0.2.1, connect_retry: 3,
     route_reflector_client: true}
)");
  ASSERT_TRUE(wait_until(
      [&] {
        return ours.neighbor_state("10.0.1.2") == "established" &&
               ours.neighbor_state("10.0.2.2") == "established";
      },
      kSessionWait))
      << ours.log();

  c1.announce("10.51.0.0/24", "10.0.1.2");
  c2.announce("10.52.0.0/24", "10.0.2.2");
  SeenRib at_c2;
  SeenRib at_c1;
  ASSERT_TRUE(
      wait_until([&] { return (at_c2 = c2.rib("ipv4")).contains("10.51.0.0/24"); }, kRouteWait))
      << ours.log();
  EXPECT_EQ(at_c2["10.51.0.0/24"].next_hop, "10.0.1.2");
  EXPECT_EQ(at_c2["10.51.0.0/24"].originator_id, "10.0.1.2");
  EXPECT_THAT(at_c2["10.51.0.0/24"].cluster_list, ElementsAre("10.0.1.1"));
  EXPECT_TRUE(at_c2["10.51.0.0/24"].as_path.empty());
  ASSERT_TRUE(
      wait_until([&] { return (at_c1 = c1.rib("ipv4")).contains("10.52.0.0/24"); }, kRouteWait));
  EXPECT_EQ(at_c1["10.52.0.0/24"].originator_id, "10.0.2.2");

  // Withdrawal is reflected too.
  c1.withdraw("10.51.0.0/24");
  EXPECT_TRUE(wait_until([&] { return !c2.rib("ipv4").contains("10.51.0.0/24"); }, kRouteWait));
}

}  // namespace
}  // namespace kr::test
