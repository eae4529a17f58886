// The OPEN we build and what is agreed with the peer (bgp-wire.md §5, §10).
#include "bgp/session/negotiation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace kr::bgp::session {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

SessionConfig gr_config() {
  SessionConfig c;
  c.local_as = 64512;
  c.router_id = IpAddress::parse("10.0.1.10")->v4_u32();
  c.families = {kIpv4Unicast};
  c.graceful_restart.enabled = true;
  c.graceful_restart.restart_time = 90;
  return c;
}

bool contains_bytes(const Bytes& haystack, const Bytes& needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

TEST(BuildOpen, RestartingSpeakerSetsRestartAndForwardingBits) {
  // bgp-wire.md §17: restart time 90, R=1, IPv4 unicast with F=1.
  const Bytes wire = encode_open(build_open(gr_config(), /*restarting=*/true));
  EXPECT_TRUE(contains_bytes(wire, {0x40, 0x06, 0x80, 0x5a, 0x00, 0x01, 0x01, 0x80}));
}

TEST(BuildOpen, SpeakerNotRestartingClearsBothBits) {
  const Bytes wire = encode_open(build_open(gr_config(), /*restarting=*/false));
  EXPECT_TRUE(contains_bytes(wire, {0x40, 0x06, 0x00, 0x5a, 0x00, 0x01, 0x01, 0x00}));
}

TEST(BuildOpen, NoGracefulRestartCapabilityWhenDisabled) {
  SessionConfig c = gr_config();
  c.graceful_restart.enabled = false;
  EXPECT_FALSE(build_open(c, true).capabilities.graceful_restart.has_value());
}

TEST(BuildOpen, LargeAsGoesOutAsAsTransWithTheFourOctetCapability) {
  SessionConfig c = gr_config();
  c.local_as = 4200000001;
  const OpenMessage o = build_open(c, false);
  EXPECT_EQ(o.my_as, kAsTrans);
  EXPECT_EQ(o.capabilities.four_octet_as, 4200000001u);
}

TEST(BuildOpen, HostnameIsAdvertisedWithEmptyDomain) {
  SessionConfig c = gr_config();
  c.hostname = "node-a";
  const OpenMessage o = build_open(c, false);
  EXPECT_EQ(o.capabilities.hostname, "node-a");
  EXPECT_EQ(o.capabilities.domain, "");
}

OpenMessage peer(std::vector<Family> families, bool gr) {
  OpenMessage o;
  o.set_asn(65000);
  o.hold_time = 240;
  o.bgp_id = 1;
  o.capabilities.multiprotocol = std::move(families);
  if (gr) {
    GracefulRestartCapability cap;
    cap.restart_time = 120;
    cap.families = {{kIpv4Unicast, true}};
    o.capabilities.graceful_restart = cap;
  }
  return o;
}

TEST(Negotiate, PeerWithoutMultiprotocolIsIpv4UnicastOnly) {
  SessionConfig c = gr_config();
  c.families = {kIpv4Unicast, kIpv6Unicast};
  EXPECT_THAT(negotiate(c, peer({}, false)).families, ElementsAre(kIpv4Unicast));
}

TEST(Negotiate, FamiliesAreTheIntersection) {
  SessionConfig c = gr_config();
  c.families = {kIpv4Unicast, kIpv6Unicast};
  EXPECT_THAT(negotiate(c, peer({kIpv6Unicast}, false)).families, ElementsAre(kIpv6Unicast));
  c.families = {kIpv4Unicast};
  EXPECT_THAT(negotiate(c, peer({kIpv6Unicast}, false)).families, IsEmpty());
}

TEST(Negotiate, HoldIsTheSmallerAndKeepaliveAThirdOfIt) {
  const Negotiated n = negotiate(gr_config(), peer({kIpv4Unicast}, false));
  EXPECT_EQ(n.hold_time, 90);
  EXPECT_EQ(n.keepalive, std::chrono::seconds(30));
  EXPECT_TRUE(n.codec.four_octet_as);
  EXPECT_TRUE(n.codec.ebgp);
}

TEST(Negotiate, ForwardingBitDecidesWhichFamiliesSurviveARestart) {
  OpenMessage o = peer({kIpv4Unicast}, true);
  o.capabilities.graceful_restart->families[0].forwarding_preserved = false;
  const Negotiated n = negotiate(gr_config(), o);
  EXPECT_THAT(n.peer_restart_families(), ElementsAre(kIpv4Unicast));
  EXPECT_THAT(n.peer_preserved_families(), IsEmpty());
}

TEST(Negotiate, PeerWithoutFourOctetCapabilityGetsTwoOctetPaths) {
  OpenMessage old = peer({kIpv4Unicast}, false);
  old.capabilities.four_octet_as.reset();
  EXPECT_FALSE(negotiate(gr_config(), old).codec.four_octet_as);
}

TEST(Negotiate, GracefulRestartNeedsBothSides) {
  const Negotiated both = negotiate(gr_config(), peer({kIpv4Unicast}, true));
  EXPECT_TRUE(both.graceful_restart);
  EXPECT_THAT(both.peer_restart_families(), ElementsAre(kIpv4Unicast));
  EXPECT_THAT(both.peer_preserved_families(), ElementsAre(kIpv4Unicast));
  SessionConfig off = gr_config();
  off.graceful_restart.enabled = false;
  const Negotiated one = negotiate(off, peer({kIpv4Unicast}, true));
  EXPECT_FALSE(one.graceful_restart);
  EXPECT_THAT(one.peer_restart_families(), IsEmpty());
}

}  // namespace
}  // namespace kr::bgp::session
