// What an OPEN exchange settles (bgp-wire.md §5.3, §10), against the
// capability sets real peers send (§16).
#include "bgp/codec/negotiation.h"

#include <gtest/gtest.h>

namespace kr::bgp {
namespace {

Capabilities ours(bool gr) {
  Capabilities c;
  c.route_refresh = true;
  c.extended_message = true;
  c.multiprotocol = {kIpv4Unicast, kIpv6Unicast};
  c.four_octet_as = 64512;
  if (gr) c.graceful_restart = GracefulRestartCapability{false, false, 90, {}};
  return c;
}

TEST(Negotiation, FrrLikePeer) {
  Capabilities frr;
  frr.route_refresh = true;
  frr.multiprotocol = {kIpv4Unicast};
  frr.four_octet_as = 65000;
  frr.hostname = "frr";
  frr.other = {{70, {}}, {128, {}}, {69, {0, 1, 1, 1}}};
  frr.graceful_restart = GracefulRestartCapability{false, true, 120, {{kIpv4Unicast, true}}};
  const Negotiated n = negotiate(ours(true), frr);
  EXPECT_EQ(n.families, std::vector<Family>{kIpv4Unicast});
  EXPECT_TRUE(n.four_octet_as);
  EXPECT_FALSE(n.extended_message);
  EXPECT_TRUE(n.route_refresh);
  EXPECT_EQ(n.graceful_restart_families(), std::vector<Family>{kIpv4Unicast});
  const CodecOptions o = n.codec_options(true);
  EXPECT_TRUE(o.four_octet_as);
  EXPECT_TRUE(o.ebgp);
  EXPECT_FALSE(o.extended_message);
}

TEST(Negotiation, PeerWithoutMultiprotocolSpeaksIpv4Only) {
  Capabilities old;  // no capabilities at all: RFC 4271 speaker
  Negotiated n = negotiate(ours(false), old);
  EXPECT_EQ(n.families, std::vector<Family>{kIpv4Unicast});
  EXPECT_FALSE(n.four_octet_as);
  Capabilities v6_only = ours(false);
  v6_only.multiprotocol = {kIpv6Unicast};
  EXPECT_TRUE(negotiate(v6_only, old).families.empty());
}

TEST(Negotiation, GracefulRestartNeedsBothSidesAndCoversOnlyListedFamilies) {
  Capabilities bird = ours(false);
  bird.graceful_restart = GracefulRestartCapability{false, false, 120, {}};  // no tuples
  Negotiated n = negotiate(ours(true), bird);
  ASSERT_TRUE(n.peer_graceful_restart.has_value());
  EXPECT_EQ(n.peer_graceful_restart->restart_time, 120);
  EXPECT_TRUE(n.graceful_restart_families().empty());
  EXPECT_FALSE(negotiate(ours(false), bird).peer_graceful_restart.has_value());
  EXPECT_TRUE(negotiate(ours(true), ours(true)).extended_message);
}

}  // namespace
}  // namespace kr::bgp
