// The hex vectors of bgp-wire.md §17 (checked there against gobgpd and BIRD)
// decode to the documented values and encode back byte for byte.
#include <gtest/gtest.h>

#include "bgp/codec/message.h"
#include "bgp/codec/update_packer.h"
#include "hex.h"

namespace kr::bgp {
namespace {

using test::hex;

const char* kOpenNodeA =
    "ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff 00 41 01 04 fc 00 00 5a 0a 00 01 0a 24 02 22"
    "02 00  49 08 06 6e 6f 64 65 2d 61 00  06 00  01 04 00 01 00 01  41 04 00 00 fc 00"
    "05 06 00 01 00 01 00 02";
const char* kIbgpUpdate =
    "ff×16 00 30 02 00 00 00 15 40 01 01 00 40 02 00 40 03 04 0a 00 01 0a 40 05 04 00 00 00 64 18 "
    "0a f4 00";
const char* kEbgpUpdate =
    "ff×16 00 3b 02 00 00 00 1b 40 01 01 00 40 02 06 02 01 00 00 fc 00 40 03 04 0a 00 01 0a c0 08 "
    "04 ff ff ff 01 18 0a f4 00 20 0a 60 00 32";
const char* kIpv6Update =
    "ff×16 00 46 02 00 00 00 2f 40 01 01 00 40 02 00 40 05 04 00 00 00 64 80 0e 1e 00 02 01 10 20 "
    "01 0d b8 00 01 00 00 00 00 00 00 00 00 00 10 00 40 20 01 0d b8 00 42 00 00";
const char* kWithdraw = "ff×16 00 1c 02 00 05 20 0a 60 00 32 00 00";
const char* kEorV4 = "ff×16 00 17 02 00 00 00 00";
const char* kEorV6 = "ff×16 00 1d 02 00 00 00 06 80 0f 03 00 02 01";
const char* kKeepalive = "ff×16 00 13 04";

IpAddress ip(const char* s) { return *IpAddress::parse(s); }
Prefix4 p4(const char* s) { return *Prefix4::parse(s); }
Prefix6 p6(const char* s) { return *Prefix6::parse(s); }

template <class T>
T decode_as(const Bytes& wire, CodecOptions opts = {}) {
  auto m = decode_message(wire, opts);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().describe());
  EXPECT_TRUE(std::holds_alternative<T>(m.value()));
  return std::get<T>(m.value());
}

TEST(CodecVectors, OpenFromNodeADecodesToGoBgpCapabilitySet) {
  const Bytes wire = hex(kOpenNodeA);
  auto open = decode_as<OpenMessage>(wire);
  EXPECT_EQ(open.version, 4);
  EXPECT_EQ(open.my_as, 64512);
  EXPECT_EQ(open.asn(), 64512u);
  EXPECT_EQ(open.hold_time, 90);
  EXPECT_EQ(IpAddress::v4_from_u32(open.bgp_id).to_string(), "10.0.1.10");
  const Capabilities& c = open.capabilities;
  EXPECT_TRUE(c.route_refresh);
  EXPECT_EQ(c.hostname, "node-a");
  EXPECT_EQ(c.domain, "");
  EXPECT_TRUE(c.extended_message);
  EXPECT_EQ(c.multiprotocol, std::vector<Family>{kIpv4Unicast});
  EXPECT_EQ(c.four_octet_as, 64512u);
  ASSERT_EQ(c.extended_next_hop.size(), 1u);
  EXPECT_EQ(c.extended_next_hop[0].family, kIpv4Unicast);
  EXPECT_EQ(c.extended_next_hop[0].next_hop_afi, kAfiIpv6);
  EXPECT_FALSE(c.graceful_restart.has_value());
  EXPECT_FALSE(c.software_version.has_value());
  EXPECT_TRUE(c.other.empty());
}

TEST(CodecVectors, OpenBuiltFromSettingsEncodesExactly) {
  OpenMessage open;
  open.set_asn(64512);
  open.hold_time = 90;
  open.bgp_id = IpAddress::parse("10.0.1.10")->v4_u32();
  open.capabilities.route_refresh = true;
  open.capabilities.hostname = "node-a";
  open.capabilities.domain = "";
  open.capabilities.extended_message = true;
  open.capabilities.multiprotocol = {kIpv4Unicast};
  open.capabilities.extended_next_hop = {{kIpv4Unicast, kAfiIpv6}};
  EXPECT_EQ(encode_open(open), hex(kOpenNodeA));
}

TEST(CodecVectors, GracefulRestartCapabilityBytes) {
  Capabilities caps;
  caps.graceful_restart = GracefulRestartCapability{true, false, 90, {{kIpv4Unicast, true}}};
  Bytes out;
  encode_capabilities(caps, out);
  EXPECT_EQ(out, hex("40 06 80 5a 00 01 01 80"));
  Capabilities back;
  ASSERT_TRUE(decode_capabilities(out, back));
  EXPECT_EQ(back, caps);
}

TEST(CodecVectors, IbgpUpdateDecodesAndEncodesBack) {
  const Bytes wire = hex(kIbgpUpdate);
  auto u = decode_as<UpdateMessage>(wire);
  EXPECT_EQ(u.error_action, ErrorAction::kNone);
  EXPECT_EQ(u.nlri, std::vector<Prefix4>{p4("10.244.0.0/24")});
  EXPECT_EQ(u.attrs->origin, Origin::kIgp);
  ASSERT_TRUE(u.attrs->as_path.has_value());
  EXPECT_TRUE(u.attrs->as_path->segments.empty());
  EXPECT_EQ(u.attrs->next_hop, ip("10.0.1.10"));
  EXPECT_EQ(u.attrs->local_pref, 100u);
  EXPECT_FALSE(u.attrs->med.has_value());
  EXPECT_EQ(encode_update(u, {}), wire);
}

TEST(CodecVectors, EbgpUpdateWithCommunityDecodesAndEncodesBack) {
  const Bytes wire = hex(kEbgpUpdate);
  auto u = decode_as<UpdateMessage>(wire, CodecOptions{.four_octet_as = true, .ebgp = true});
  EXPECT_EQ(u.nlri, (std::vector<Prefix4>{p4("10.244.0.0/24"), p4("10.96.0.50/32")}));
  EXPECT_EQ(u.attrs->as_path->to_string(), "64512");
  EXPECT_EQ(u.attrs->as_path->length(), 1u);
  EXPECT_EQ(u.attrs->communities, std::vector<uint32_t>{kCommunityNoExport});
  EXPECT_EQ(community_to_string(u.attrs->communities[0]), "65535:65281");
  EXPECT_EQ(u.attrs->next_hop, ip("10.0.1.10"));
  EXPECT_EQ(encode_update(u, {}), wire);
}

TEST(CodecVectors, Ipv6UpdateCarriesMpReachWithGlobalNextHop) {
  const Bytes wire = hex(kIpv6Update);
  auto u = decode_as<UpdateMessage>(wire);
  ASSERT_TRUE(u.mp_reach.has_value());
  EXPECT_EQ(u.mp_reach->family, kIpv6Unicast);
  EXPECT_EQ(u.mp_reach->next_hop, ip("2001:db8:1::10"));
  EXPECT_FALSE(u.mp_reach->link_local_next_hop.has_value());
  EXPECT_EQ(u.mp_reach->nlri6, std::vector<Prefix6>{p6("2001:db8:42::/64")});
  EXPECT_TRUE(u.nlri.empty());
  EXPECT_FALSE(u.attrs->next_hop.has_value());
  EXPECT_EQ(u.attrs->local_pref, 100u);
  EXPECT_EQ(encode_update(u, {}), wire);
}

TEST(CodecVectors, WithdrawalEorAndKeepalive) {
  auto w = decode_as<UpdateMessage>(hex(kWithdraw));
  EXPECT_EQ(w.withdrawn, std::vector<Prefix4>{p4("10.96.0.50/32")});
  EXPECT_FALSE(w.end_of_rib().has_value());
  EXPECT_EQ(encode_update(w, {}), hex(kWithdraw));

  EXPECT_EQ(decode_as<UpdateMessage>(hex(kEorV4)).end_of_rib(), kIpv4Unicast);
  EXPECT_EQ(decode_as<UpdateMessage>(hex(kEorV6)).end_of_rib(), kIpv6Unicast);
  EXPECT_EQ(encode_end_of_rib(kIpv4Unicast), hex(kEorV4));
  EXPECT_EQ(encode_end_of_rib(kIpv6Unicast), hex(kEorV6));

  decode_as<KeepaliveMessage>(hex(kKeepalive));
  EXPECT_EQ(encode_keepalive(), hex(kKeepalive));
}

TEST(CodecVectors, PackerReproducesTheVectorsFromRibAttributes) {
  auto v4 = std::make_shared<PathAttributes>();
  v4->origin = Origin::kIgp;
  v4->as_path = AsPath{};
  v4->next_hop = ip("10.0.1.10");
  v4->local_pref = 100;
  UpdatePacker packer4(kIpv4Unicast, {});
  packer4.announce(p4("10.244.0.0/24"), v4);
  EXPECT_EQ(packer4.finish(), std::vector<Bytes>{hex(kIbgpUpdate)});

  auto v6 = std::make_shared<PathAttributes>(*v4);
  v6->next_hop = ip("2001:db8:1::10");
  UpdatePacker packer6(kIpv6Unicast, {});
  packer6.announce(p6("2001:db8:42::/64"), v6);
  EXPECT_EQ(packer6.finish(), std::vector<Bytes>{hex(kIpv6Update)});

  UpdatePacker withdraw(kIpv4Unicast, {});
  withdraw.withdraw(p4("10.96.0.50/32"));
  EXPECT_EQ(withdraw.finish(), std::vector<Bytes>{hex(kWithdraw)});
}

}  // namespace
}  // namespace kr::bgp
