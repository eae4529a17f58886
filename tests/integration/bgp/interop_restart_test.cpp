// Graceful restart (RFC 4724) with real peers, both ways: when our speaker
// dies, gobgpd and BIRD keep our routes as stale and refresh them after our
// End-of-RIB; when gobgpd dies, we keep its routes as stale and sweep what
// it no longer announces after its End-of-RIB.
#include <fmt/format.h>

#include "interop_fixture.h"

namespace kr::test {
namespace {

using std::chrono::seconds;

std::string our_config(const std::string& neighbor, const std::string& local, uint32_t asn,
                       const std::vector<std::string>& prefixes) {
  std::string y = fmt::format(
      "asn: 64512\nrouter_id: 10.0.0.1\nlisten_addresses: [10.0.0.1, \"fd00::1\"]\n"
      "graceful_restart: {{enabled: true, restart_time: 60, deferral_time: 20}}\n"
      "neighbors:\n  - {{address: \"{}\", asn: {}, local_address: \"{}\", connect_retry: 3}}\n"
      "originate:\n",
      neighbor, asn, local);
  for (const auto& p : prefixes) y += fmt::format("  - {{prefix: {}, next_hop: 10.0.0.1}}\n", p);
  return y;
}

GobgpConfig gobgpd_config() {
  GobgpNeighbor nb{.address = "10.0.0.1", .peer_as = 64512};
  nb.graceful_restart = true;
  nb.restart_time = 60;
  return {
      .asn = 65000, .router_id = "10.0.0.2", .listen_addresses = {"10.0.0.2"}, .neighbors = {nb}};
}

TEST_F(InteropTest, GobgpdKeepsOurRoutesStaleWhileWeRestart) {
  KR_REQUIRE_ROOT_AND_TOOLS("ip", "gobgpd", "gobgp");
  make_namespaces();
  GobgpdPeer peer(*theirs_, dir_.file("gobgpd"), gobgpd_config());
  peer.start();
  SpeakerProcess& ours =
      speaker(our_config("10.0.0.2", "10.0.0.1", 65000, {"10.244.0.0/24", "10.245.0.0/24"}));
  // Ask gobgpd only once its API is up: the gobgp CLI gives up after 1 s
  // ("context deadline exceeded"), which a loaded machine can exceed while
  // gobgpd starts. The session being established means it is up.
  ASSERT_TRUE(
      wait_until([&] { return ours.neighbor_state("10.0.0.2") == "established"; }, kSessionWait))
      << ours.log() << peer.log();
  SeenRib rib;
  ASSERT_TRUE(wait_until([&] { return (rib = peer.rib("ipv4")).size() == 2; }, kRouteWait))
      << speaker_->log() << peer.log();
  EXPECT_FALSE(rib["10.244.0.0/24"].stale);

  speaker_->kill();
  ASSERT_TRUE(wait_until(
      [&] {
        rib = peer.rib("ipv4");
        return rib.size() == 2 && rib["10.244.0.0/24"].stale && rib["10.245.0.0/24"].stale;
      },
      kRouteWait))
      << "gobgpd must keep both routes, marked stale: " << peer.log();

  // Back, now announcing only one of the two.
  speaker(our_config("10.0.0.2", "10.0.0.1", 65000, {"10.244.0.0/24"}));
  ASSERT_TRUE(wait_until(
      [&] {
        rib = peer.rib("ipv4");
        return rib.size() == 1 && rib.contains("10.244.0.0/24") && !rib["10.244.0.0/24"].stale;
      },
      kRestartWait))
      << speaker_->log() << peer.log();
}

TEST_F(InteropTest, WeKeepGobgpdRoutesStaleWhileItRestarts) {
  KR_REQUIRE_ROOT_AND_TOOLS("ip", "gobgpd", "gobgp");
  make_namespaces();
  auto peer = std::make_unique<GobgpdPeer>(*theirs_, dir_.file("gobgpd"), gobgpd_config());
  peer->start();
  SpeakerProcess& ours = speaker(our_config("10.0.0.2", "10.0.0.1", 65000, {}));
  ASSERT_TRUE(
      wait_until([&] { return ours.neighbor_state("10.0.0.2") == "established"; }, kSessionWait))
      << ours.log() << peer->log();
  peer->announce("10.50.0.0/24", "10.0.0.2");
  peer->announce("10.51.0.0/24", "10.0.0.2");
  SeenRib rib;
  ASSERT_TRUE(wait_until([&] { return (rib = ours.rib("ipv4")).size() == 2; }, kRouteWait));

  peer->kill();
  ASSERT_TRUE(wait_until(
      [&] {
        rib = ours.rib("ipv4");
        return rib.size() == 2 && rib["10.50.0.0/24"].stale && rib["10.51.0.0/24"].stale;
      },
      kRouteWait))
      << ours.log();
  EXPECT_NE(ours.neighbor_state("10.0.0.2"), "established");

  peer = std::make_unique<GobgpdPeer>(*theirs_, dir_.file("gobgpd2"), gobgpd_config());
  peer->start();
  // Re-announce one route as soon as its API answers.
  ASSERT_TRUE(wait_until(
      [&] {
        try {
          peer->announce("10.50.0.0/24", "10.0.0.2");
          return true;
        } catch (const std::exception&) {
          return false;
        }
      },
      kRouteWait));
  ASSERT_TRUE(wait_until(
      [&] {
        rib = ours.rib("ipv4");
        return rib.size() == 1 && rib.contains("10.50.0.0/24") && !rib["10.50.0.0/24"].stale;
      },
      kRestartWait))
      << ours.log() << peer->log();
}

TEST_F(InteropTest, BirdKeepsOurRoutesThroughOurRestart) {
  KR_REQUIRE_ROOT_AND_TOOLS("ip", "bird", "birdc");
  make_namespaces();
  BirdPeer bird(*theirs_, dir_.file("bird"));
  bird.start(R"(
router id 10.0.0.2;
protocol device {}
protocol bgp ours {
  local 10.0.0.2 as 65000;
  neighbor 10.0.0.1 as 64512;
  connect retry time 3;
  graceful restart on;
  graceful restart time 60;
  ipv4 { import all; export none; };
}
)");
  speaker(our_config("10.0.0.2", "10.0.0.1", 65000, {"10.244.0.0/24"}));
  // birdc fails until BIRD's control socket exists; bgp_state() waits that out.
  ASSERT_TRUE(wait_until([&] { return bird.bgp_state("ours") == "Established"; }, kSessionWait))
      << speaker_->log() << bird.log();
  ASSERT_TRUE(wait_until([&] { return bird.rib("master4").contains("10.244.0.0/24"); }, kRouteWait))
      << speaker_->log() << bird.log();

  speaker_->kill();
  ASSERT_TRUE(wait_until([&] { return bird.in_graceful_restart("ours"); }, kRouteWait))
      << bird.birdc("show protocols all ours");
  EXPECT_TRUE(bird.rib("master4").contains("10.244.0.0/24")) << "kept through our restart";

  speaker(our_config("10.0.0.2", "10.0.0.1", 65000, {"10.244.0.0/24"}));
  ASSERT_TRUE(wait_until(
      [&] { return bird.bgp_state("ours") == "Established" && !bird.in_graceful_restart("ours"); },
      kRestartWait))
      << speaker_->log() << bird.log();
  EXPECT_TRUE(bird.rib("master4").contains("10.244.0.0/24"));
}

}  // namespace
}  // namespace kr::test
