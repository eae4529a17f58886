// Sessions and route exchange between bgp-speaker and real gobgpd, BIRD 2 and
// FRR: eBGP and iBGP over IPv4 and IPv6 transport, TCP MD5, IPv4 and IPv6
// unicast both ways with communities and prepends seen on the far side, and
// withdrawals in both directions, and route refresh answered.
#include <fmt/format.h>

#include "interop_fixture.h"

namespace kr::test {
namespace {

using std::chrono::seconds;
using ::testing::ElementsAre;

// Our side: AS 64512, exporting with community 64512:7 and AS 64999 prepended
// twice, originating one IPv4 and one IPv6 prefix.
std::string our_config(const std::string& neighbor, const std::string& local, uint32_t peer_as,
                       const std::string& extra_neighbor_keys = "", bool originate_v4 = true) {
  std::string y = fmt::format(
      "asn: 64512\nrouter_id: 10.0.0.1\nlisten_addresses: [10.0.0.1, \"fd00::1\"]\n"
      "neighbors:\n"
      "  - address: \"{}\"\n    asn: {}\n    local_address: \"{}\"\n    connect_retry: 3\n"
      "    families: [ipv4-unicast, ipv6-unicast]\n"
      "    export: {{communities: [\"64512:7\"], prepend: {{asn: 64999, count: 2}}}}\n{}"
      "originate:\n",
      neighbor, peer_as, local, extra_neighbor_keys);
  if (originate_v4) y += "  - {prefix: 10.244.0.0/24, next_hop: 10.0.0.1}\n";
  y += "  - {prefix: \"2001:db8:42::/64\", next_hop: \"fd00::1\"}\n";
  return y;
}

TEST_F(InteropTest, GobgpdEbgpOverIpv4ExchangesBothFamilies) {
  KR_REQUIRE_ROOT_AND_TOOLS("ip", "gobgpd", "gobgp");
  make_namespaces();
  GobgpNeighbor nb{.address = "10.0.0.1", .peer_as = 64512};
  nb.ipv6 = true;
  GobgpdPeer peer(
      *theirs_, dir_.file("gobgpd"),
      {.asn = 65000, .router_id = "10.0.0.2", .listen_addresses = {"10.0.0.2"}, .neighbors = {nb}});
  peer.start();
  SpeakerProcess& ours = speaker(our_config("10.0.0.2", "10.0.0.1", 65000));
  ASSERT_TRUE(
      wait_until([&] { return ours.neighbor_state("10.0.0.2") == "established"; }, kSessionWait))
      << ours.log() << peer.log();

  // Ours → gobgpd: eBGP path with the export actions applied.
  SeenRib v4;
  SeenRib v6;
  ASSERT_TRUE(
      wait_until([&] { return (v4 = peer.rib("ipv4")).contains("10.244.0.0/24"); }, kRouteWait));
  EXPECT_THAT(v4["10.244.0.0/24"].as_path, ElementsAre(64999u, 64999u, 64512u));
  EXPECT_THAT(v4["10.244.0.0/24"].communities, ElementsAre("64512:7"));
  EXPECT_EQ(v4["10.244.0.0/24"].next_hop, "10.0.0.1");
  ASSERT_TRUE(
      wait_until([&] { return (v6 = peer.rib("ipv6")).contains("2001:db8:42::/64"); }, kRouteWait));
  EXPECT_EQ(v6["2001:db8:42::/64"].next_hop, "fd00::1");
  EXPECT_THAT(v6["2001:db8:42::/64"].communities, ElementsAre("64512:7"));

  // gobgpd → ours.
  peer.announce("10.50.0.0/24", "10.0.0.2", {"65000:9"});
  peer.announce("2001:db8:50::/64", "fd00::2", {"65000:10"});
  SeenRib got4;
  SeenRib got6;
  ASSERT_TRUE(
      wait_until([&] { return (got4 = ours.rib("ipv4")).contains("10.50.0.0/24"); }, kRouteWait));
  EXPECT_THAT(got4["10.50.0.0/24"].as_path, ElementsAre(65000u));
  EXPECT_THAT(got4["10.50.0.0/24"].communities, ElementsAre("65000:9"));
  EXPECT_EQ(got4["10.50.0.0/24"].next_hop, "10.0.0.2");
  ASSERT_TRUE(wait_until([&] { return (got6 = ours.rib("ipv6")).contains("2001:db8:50::/64"); },
                         kRouteWait));
  EXPECT_EQ(got6["2001:db8:50::/64"].next_hop, "fd00::2");

  // Withdrawals, both ways.
  ours.reload(our_config("10.0.0.2", "10.0.0.1", 65000, "", /*originate_v4=*/false));
  EXPECT_TRUE(wait_until([&] { return !peer.rib("ipv4").contains("10.244.0.0/24"); }, kRouteWait));
  EXPECT_TRUE(peer.rib("ipv6").contains("2001:db8:42::/64"));
  peer.withdraw("2001:db8:50::/64");
  EXPECT_TRUE(
      wait_until([&] { return !ours.rib("ipv6").contains("2001:db8:50::/64"); }, kRouteWait));
  EXPECT_EQ(ours.neighbor_state("10.0.0.2"), "established");
}

constexpr const char* kBirdIbgpV6 = R"(
router id 10.0.0.2;
protocol device {}
protocol static s4 { ipv4; route 10.60.0.0/24 blackhole; }
protocol static s6 { ipv6; route 2001:db8:60::/64 blackhole; }
protocol bgp ours {
  local fd00::2 as 64512;
  neighbor fd00::1 as 64512;
  direct;
  connect retry time 3;
  ipv4 { import all; export filter { bgp_community.add((64512,9)); accept; };
         next hop address 10.0.0.2; gateway direct; };
  ipv6 { import all; export all; next hop self; gateway direct; };
}
)";

TEST_F(InteropTest, BirdIbgpOverIpv6ExchangesBothFamilies) {
  KR_REQUIRE_ROOT_AND_TOOLS("ip", "bird", "birdc");
  make_namespaces();
  BirdPeer bird(*theirs_, dir_.file("bird"));
  bird.start(kBirdIbgpV6);
  SpeakerProcess& ours = speaker(our_config("fd00::2", "fd00::1", 64512));
  ASSERT_TRUE(
      wait_until([&] { return ours.neighbor_state("fd00::2") == "established"; }, kSessionWait))
      << ours.log() << bird.log();
  EXPECT_EQ(bird.bgp_state("ours"), "Established");

  SeenRib v4;
  SeenRib v6;
  ASSERT_TRUE(
      wait_until([&] { return (v4 = bird.rib("master4")).contains("10.244.0.0/24"); }, kRouteWait));
  // iBGP: no local AS added, the prepend policy still applies.
  EXPECT_THAT(v4["10.244.0.0/24"].as_path, ElementsAre(64999u, 64999u));
  EXPECT_THAT(v4["10.244.0.0/24"].communities, ElementsAre("64512:7"));
  EXPECT_EQ(v4["10.244.0.0/24"].next_hop, "10.0.0.1");
  ASSERT_TRUE(wait_until([&] { return (v6 = bird.rib("master6")).contains("2001:db8:42::/64"); },
                         kRouteWait));
  EXPECT_EQ(v6["2001:db8:42::/64"].next_hop, "fd00::1");

  SeenRib got4;
  SeenRib got6;
  ASSERT_TRUE(
      wait_until([&] { return (got4 = ours.rib("ipv4")).contains("10.60.0.0/24"); }, kRouteWait));
  EXPECT_EQ(got4["10.60.0.0/24"].next_hop, "10.0.0.2");
  EXPECT_THAT(got4["10.60.0.0/24"].communities, ElementsAre("64512:9"));
  EXPECT_TRUE(got4["10.60.0.0/24"].as_path.empty());
  ASSERT_TRUE(wait_until([&] { return (got6 = ours.rib("ipv6")).contains("2001:db8:60::/64"); },
                         kRouteWait));
  EXPECT_EQ(got6["2001:db8:60::/64"].next_hop, "fd00::2");

  bird.birdc("disable s4");
  EXPECT_TRUE(wait_until([&] { return !ours.rib("ipv4").contains("10.60.0.0/24"); }, kRouteWait));
  ours.reload(our_config("fd00::2", "fd00::1", 64512, "", /*originate_v4=*/false));
  EXPECT_TRUE(
      wait_until([&] { return !bird.rib("master4").contains("10.244.0.0/24"); }, kRouteWait));
  EXPECT_TRUE(bird.rib("master6").contains("2001:db8:42::/64"));
}

std::string frr_config(const std::string& password) {
  return fmt::format(R"(frr defaults traditional
hostname frrpeer
router bgp 65000
 bgp router-id 10.0.0.2
 no bgp ebgp-requires-policy
 no bgp network import-check
 no bgp default ipv4-unicast
 neighbor 10.0.0.1 remote-as 64512
 neighbor 10.0.0.1 password {}
 neighbor 10.0.0.1 timers connect 3
 address-family ipv4 unicast
  network 10.70.0.0/24 route-map tag
  neighbor 10.0.0.1 activate
 exit-address-family
 address-family ipv6 unicast
  network 2001:db8:70::/64
  neighbor 10.0.0.1 activate
 exit-address-family
route-map tag permit 10
 set community 65000:11
)",
                     password);
}

TEST_F(InteropTest, FrrEbgpWithMd5ExchangesBothFamilies) {
  KR_REQUIRE_ROOT_AND_TOOLS("ip", "/usr/lib/frr/bgpd", "vtysh");
  make_namespaces();
  FrrPeer frr(*theirs_, dir_.file("frr"));
  frr.start(frr_config("s3cret"));
  SpeakerProcess& ours =
      speaker(our_config("10.0.0.2", "10.0.0.1", 65000, "    password: s3cret\n"));
  ASSERT_TRUE(
      wait_until([&] { return ours.neighbor_state("10.0.0.2") == "established"; }, kSessionWait))
      << ours.log() << frr.log();
  EXPECT_EQ(frr.neighbor_state("10.0.0.1"), "Established");

  std::optional<SeenRoute> r;
  ASSERT_TRUE(
      wait_until([&] { return (r = frr.route("ipv4", "10.244.0.0/24")).has_value(); }, kRouteWait));
  EXPECT_THAT(r->as_path, ElementsAre(64999u, 64999u, 64512u));
  EXPECT_THAT(r->communities, ElementsAre("64512:7"));
  EXPECT_EQ(r->next_hop, "10.0.0.1");
  ASSERT_TRUE(wait_until([&] { return (r = frr.route("ipv6", "2001:db8:42::/64")).has_value(); },
                         kRouteWait));
  EXPECT_EQ(r->next_hop, "fd00::1");

  SeenRib got4;
  ASSERT_TRUE(
      wait_until([&] { return (got4 = ours.rib("ipv4")).contains("10.70.0.0/24"); }, kRouteWait));
  EXPECT_THAT(got4["10.70.0.0/24"].as_path, ElementsAre(65000u));
  EXPECT_THAT(got4["10.70.0.0/24"].communities, ElementsAre("65000:11"));
  EXPECT_TRUE(
      wait_until([&] { return ours.rib("ipv6").contains("2001:db8:70::/64"); }, kRouteWait));

  // RFC 2918: FRR's inbound soft reset asks us for our IPv4 routes again; we
  // resend the Adj-RIB-Out and nothing changes on its side.
  auto counts = [&] { return ours.neighbor("10.0.0.2").at("messages"); };
  const int64_t updates_before = counts().at("sent").at("update").to_number<int64_t>();
  frr.vtysh("clear bgp ipv4 unicast 10.0.0.1 soft in");
  ASSERT_TRUE(wait_until(
      [&] { return counts().at("received").at("route_refresh").to_number<int64_t>() >= 1; },
      kRouteWait));
  EXPECT_TRUE(wait_until(
      [&] { return counts().at("sent").at("update").to_number<int64_t>() > updates_before; },
      kRouteWait));
  EXPECT_TRUE(frr.route("ipv4", "10.244.0.0/24").has_value());
  EXPECT_EQ(ours.neighbor_state("10.0.0.2"), "established");

  frr.configure(
      {"router bgp 65000", "address-family ipv4 unicast", "no network 10.70.0.0/24 route-map tag"});
  EXPECT_TRUE(wait_until([&] { return !ours.rib("ipv4").contains("10.70.0.0/24"); }, kRouteWait));
  ours.reload(our_config("10.0.0.2", "10.0.0.1", 65000, "    password: s3cret\n", false));
  EXPECT_TRUE(
      wait_until([&] { return !frr.route("ipv4", "10.244.0.0/24").has_value(); }, kRouteWait));
}

TEST_F(InteropTest, FrrEbgpOverIpv6WithMd5CarriesIpv6Routes) {
  KR_REQUIRE_ROOT_AND_TOOLS("ip", "/usr/lib/frr/bgpd", "vtysh");
  make_namespaces();
  FrrPeer frr(*theirs_, dir_.file("frr"));
  frr.start(R"(frr defaults traditional
hostname frrpeer
router bgp 65000
 bgp router-id 10.0.0.2
 no bgp ebgp-requires-policy
 no bgp network import-check
 no bgp default ipv4-unicast
 neighbor fd00::1 remote-as 64512
 neighbor fd00::1 password s3cret
 neighbor fd00::1 timers connect 3
 address-family ipv6 unicast
  network 2001:db8:70::/64
  neighbor fd00::1 activate
 exit-address-family
)");
  SpeakerProcess& ours = speaker(our_config("fd00::2", "fd00::1", 65000, "    password: s3cret\n"));
  ASSERT_TRUE(
      wait_until([&] { return ours.neighbor_state("fd00::2") == "established"; }, kSessionWait))
      << ours.log() << frr.log();
  EXPECT_EQ(frr.neighbor_state("fd00::1"), "Established");
  std::optional<SeenRoute> r;
  ASSERT_TRUE(wait_until([&] { return (r = frr.route("ipv6", "2001:db8:42::/64")).has_value(); },
                         kRouteWait));
  EXPECT_THAT(r->as_path, ElementsAre(64999u, 64999u, 64512u));
  EXPECT_THAT(r->communities, ElementsAre("64512:7"));
  EXPECT_EQ(r->next_hop, "fd00::1");
  SeenRib got;
  ASSERT_TRUE(wait_until([&] { return (got = ours.rib("ipv6")).contains("2001:db8:70::/64"); },
                         kRouteWait));
  EXPECT_THAT(got["2001:db8:70::/64"].as_path, ElementsAre(65000u));
  EXPECT_EQ(got["2001:db8:70::/64"].next_hop, "fd00::2");
}

TEST_F(InteropTest, FrrWithAWrongMd5PasswordNeverEstablishes) {
  KR_REQUIRE_ROOT_AND_TOOLS("ip", "/usr/lib/frr/bgpd", "vtysh");
  make_namespaces();
  FrrPeer frr(*theirs_, dir_.file("frr"));
  frr.start(frr_config("s3cret"));
  SpeakerProcess& ours =
      speaker(our_config("10.0.0.2", "10.0.0.1", 65000, "    password: not-it\n"));
  EXPECT_FALSE(
      wait_until([&] { return ours.neighbor_state("10.0.0.2") == "established"; }, seconds(15)));
  EXPECT_NE(frr.neighbor_state("10.0.0.1"), "Established");
  EXPECT_TRUE(frr.prefixes("ipv4") == std::vector<std::string>{"10.70.0.0/24"})
      << "only FRR's own route";
}

}  // namespace
}  // namespace kr::test
