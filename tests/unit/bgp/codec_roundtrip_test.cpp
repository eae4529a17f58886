// Every message and attribute survives encode → decode unchanged, including
// the 2-octet AS encoding with AS4_PATH/AS4_AGGREGATOR (RFC 6793).
#include <gtest/gtest.h>

#include <algorithm>

#include "bgp/codec/message.h"
#include "hex.h"

namespace kr::bgp {
namespace {

IpAddress ip(const char* s) { return *IpAddress::parse(s); }

PathAttributes full_attributes() {
  PathAttributes a;
  a.origin = Origin::kEgp;
  a.as_path = AsPath{{{SegmentType::kSequence, {65000, 4200000001u, 64512}},
                      {SegmentType::kSet, {100, 4200000002u}}}};
  a.next_hop = ip("192.0.2.1");
  a.med = 50;
  a.local_pref = 200;
  a.atomic_aggregate = true;
  a.aggregator = Aggregator{4200000003u, 0xC0000201};
  a.communities = {0x00010002, kCommunityNoExport};
  a.originator_id = 0x0A000001;
  a.cluster_list = {0x0A000002, 0x0A000003};
  a.other = {
      {kFlagOptional | kFlagTransitive, 16, test::hex("00 02 fc 00 00 00 00 64")},
      {kFlagOptional | kFlagTransitive | kFlagPartial, 99, test::hex("de ad")},
      {kFlagOptional | kFlagTransitive, 32, test::hex("00 00 fc 00 00 00 00 01 00 00 00 02")},
  };
  std::sort(a.other.begin(), a.other.end(),
            [](const RawAttribute& x, const RawAttribute& y) { return x.type < y.type; });
  return a;
}

UpdateMessage roundtrip(const UpdateMessage& u, const CodecOptions& opts) {
  Bytes wire = encode_update(u, opts);
  auto m = decode_message(wire, opts);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().describe());
  return std::get<UpdateMessage>(m.value());
}

TEST(CodecRoundtrip, AllAttributesWithFourOctetAs) {
  UpdateMessage u;
  u.attrs = std::make_shared<PathAttributes>(full_attributes());
  u.nlri = {*Prefix4::parse("10.0.0.0/8"), *Prefix4::parse("192.168.1.128/25")};
  u.withdrawn = {*Prefix4::parse("0.0.0.0/0")};
  auto back = roundtrip(u, {});
  EXPECT_EQ(back.error_action, ErrorAction::kNone) << back.error_detail;
  EXPECT_EQ(back, u);
}

TEST(CodecRoundtrip, TwoOctetSessionCarriesRealPathInAs4Path) {
  UpdateMessage u;
  u.attrs = std::make_shared<PathAttributes>(full_attributes());
  u.nlri = {*Prefix4::parse("10.0.0.0/8")};
  const CodecOptions two_octet{.four_octet_as = false};
  Bytes wire = encode_update(u, two_octet);
  // AS4_PATH (type 17) and AS4_AGGREGATOR (18) go out optional transitive.
  const Bytes as4_path_header = test::hex("c0 11");
  const Bytes as4_aggregator_header = test::hex("c0 12 08");
  EXPECT_NE(std::search(wire.begin(), wire.end(), as4_path_header.begin(), as4_path_header.end()),
            wire.end());
  EXPECT_NE(std::search(wire.begin(), wire.end(), as4_aggregator_header.begin(),
                        as4_aggregator_header.end()),
            wire.end());
  auto back = roundtrip(u, two_octet);
  EXPECT_EQ(back.attrs->as_path, u.attrs->as_path);
  EXPECT_EQ(back.attrs->aggregator, u.attrs->aggregator);
  EXPECT_EQ(back, u);
}

TEST(CodecRoundtrip, As4PathMergeKeepsLeadingTwoOctetHops) {
  // RFC 6793 §4.2.3: AS_PATH "65001 23456 23456" + AS4_PATH "4200000001 4200000002"
  // = "65001 4200000001 4200000002".
  AsPath as_path{{{SegmentType::kSequence, {65001, kAsTrans, kAsTrans}}}};
  AsPath as4{{{SegmentType::kSequence, {4200000001u, 4200000002u}}}};
  EXPECT_EQ(merge_as4_path(as_path, as4).to_string(), "65001 4200000001 4200000002");
  // A longer AS4_PATH than AS_PATH is ignored.
  AsPath short_path{{{SegmentType::kSequence, {kAsTrans}}}};
  EXPECT_EQ(merge_as4_path(short_path, as4), short_path);
}

TEST(CodecRoundtrip, ConfederationSegmentsAndLongPaths) {
  AsPath path{{{SegmentType::kConfedSequence, {65010, 65011}},
               {SegmentType::kConfedSet, {65012}},
               {SegmentType::kSequence, {65000}}}};
  EXPECT_EQ(path.to_string(), "(65010 65011) ({65012}) 65000");
  EXPECT_EQ(path.length(), 1u);  // confederation segments count zero
  // Prepending 300 ASNs fills the leading segment to 255 and opens another.
  AsPath longer = {{{SegmentType::kSequence, {65000}}}};
  longer.prepend(64512, 300);
  ASSERT_EQ(longer.segments.size(), 2u);
  EXPECT_EQ(longer.segments[0].asns.size(), 46u);
  EXPECT_EQ(longer.segments[1].asns.size(), 255u);
  EXPECT_EQ(longer.length(), 301u);
  for (const AsPath& p : {path, longer}) {
    Bytes wire;
    encode_as_path(p, true, wire);
    AsPath back;
    ASSERT_TRUE(decode_as_path(wire, true, back));
    EXPECT_EQ(back, p);
  }
}

TEST(CodecRoundtrip, Ipv6WithLinkLocalNextHopAndWithdrawals) {
  UpdateMessage u;
  auto a = std::make_shared<PathAttributes>();
  a->origin = Origin::kIncomplete;
  a->as_path = AsPath{{{SegmentType::kSequence, {65000}}}};
  u.attrs = a;
  u.mp_reach =
      MpReach{kIpv6Unicast,  true, ip("2001:db8::1"),
              ip("fe80::1"), {},   {*Prefix6::parse("2001:db8:1::/48"), *Prefix6::parse("::/0")}};
  u.mp_unreach = MpUnreach{kIpv6Unicast, true, {}, {*Prefix6::parse("2001:db8:ff::/128")}};
  EXPECT_EQ(roundtrip(u, {}), u);
}

TEST(CodecRoundtrip, Ipv4NlriWithIpv6NextHopInMpReach) {
  // RFC 8950: accepted on receive when a peer uses it.
  UpdateMessage u;
  auto a = std::make_shared<PathAttributes>();
  a->origin = Origin::kIgp;
  a->as_path = AsPath{};
  u.attrs = a;
  u.mp_reach = MpReach{
      kIpv4Unicast, true, ip("2001:db8::1"), std::nullopt, {*Prefix4::parse("10.1.0.0/16")}, {}};
  EXPECT_EQ(roundtrip(u, {}), u);
}

TEST(CodecRoundtrip, LongAttributeUsesExtendedLength) {
  UpdateMessage u;
  auto a = std::make_shared<PathAttributes>();
  a->origin = Origin::kIgp;
  a->as_path = AsPath{};
  a->next_hop = ip("10.0.0.1");
  for (uint32_t i = 0; i < 100; ++i) a->communities.push_back(i);
  u.attrs = a;
  u.nlri = {*Prefix4::parse("10.0.0.0/24")};
  Bytes wire = encode_update(u, {});
  // COMMUNITIES: 400 bytes ⇒ flags 0xD0 (optional, transitive, extended length).
  bool found = false;
  for (std::size_t i = 0; i + 3 < wire.size(); ++i) {
    if (wire[i] == 0xD0 && wire[i + 1] == 8 && wire[i + 2] == 0x01 && wire[i + 3] == 0x90) {
      found = true;
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(roundtrip(u, {}), u);
}

TEST(CodecRoundtrip, OpenWithEveryCapability) {
  OpenMessage open;
  open.set_asn(4200000000u);
  EXPECT_EQ(open.my_as, kAsTrans);
  open.hold_time = 240;
  open.bgp_id = 0x0A000001;
  Capabilities& c = open.capabilities;
  c.route_refresh = true;
  c.hostname = "node-b";
  c.domain = "example.org";
  c.software_version = "GoBGP/4.8.0";
  c.extended_message = true;
  c.multiprotocol = {kIpv4Unicast, kIpv6Unicast};
  c.graceful_restart = GracefulRestartCapability{false, true, 120, {{kIpv6Unicast, false}}};
  c.extended_next_hop = {{kIpv4Unicast, kAfiIpv6}};
  c.other = {{70, {}}, {71, test::hex("00 01 01 80 00 00 10")}};
  open.other_params = {{9, test::hex("01 02")}};
  auto m = decode_message(encode_open(open), {});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(std::get<OpenMessage>(m.value()), open);
  EXPECT_EQ(std::get<OpenMessage>(m.value()).asn(), 4200000000u);
}

TEST(CodecRoundtrip, NotificationWithShutdownCommunication) {
  auto n = Notification::cease_with_communication(err::kAdministrativeReset, "BFD is down");
  EXPECT_EQ(n.data, test::hex("0b 42 46 44 20 69 73 20 64 6f 77 6e"));
  auto m = decode_message(encode_notification(n), {});
  ASSERT_TRUE(m.ok());
  const auto& back = std::get<Notification>(m.value());
  EXPECT_EQ(back, n);
  EXPECT_EQ(back.shutdown_communication(), "BFD is down");
  EXPECT_EQ(back.describe(), "6/4 (Cease) \"BFD is down\"");
  // A length byte larger than the data is not a communication.
  Notification bad{err::kCease, err::kAdministrativeShutdown, test::hex("05 41")};
  EXPECT_FALSE(bad.shutdown_communication().has_value());
}

TEST(CodecRoundtrip, CommunicationIsCutAtCharacterBoundary) {
  std::string text(254, 'a');
  text += "\xC3\xA9";  // two-byte character straddling byte 255
  auto n = Notification::cease_with_communication(err::kAdministrativeShutdown, text);
  EXPECT_EQ(n.data[0], 254);
  EXPECT_EQ(n.data.size(), 255u);
}

TEST(CodecRoundtrip, RouteRefreshAndPeerDeconfigured) {
  RouteRefreshMessage rr{kIpv6Unicast, 0};
  auto m = decode_message(encode_route_refresh(rr), {});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(std::get<RouteRefreshMessage>(m.value()), rr);
  Notification cease{err::kCease, err::kPeerDeconfigured, {}};
  EXPECT_EQ(encode_notification(cease), test::hex("ff×16 00 15 03 06 03"));
}

}  // namespace
}  // namespace kr::bgp
