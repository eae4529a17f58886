// UpdatePacker fills messages up to the size limit and loses no prefix.
#include "bgp/codec/update_packer.h"

#include <gtest/gtest.h>

#include "bgp/codec/message.h"

namespace kr::bgp {
namespace {

AttrSetPtr attrs_with_next_hop(const char* nh, uint32_t med = 0) {
  auto a = std::make_shared<PathAttributes>();
  a->origin = Origin::kIgp;
  a->as_path = AsPath{{{SegmentType::kSequence, {64512}}}};
  a->next_hop = *IpAddress::parse(nh);
  if (med != 0) a->med = med;
  return a;
}

std::vector<UpdateMessage> decode_all(const std::vector<Bytes>& wire, std::size_t max) {
  std::vector<UpdateMessage> out;
  for (const Bytes& m : wire) {
    EXPECT_LE(m.size(), max);
    auto d = decode_message(m, CodecOptions{.extended_message = max > kMaxMessageSize});
    EXPECT_TRUE(d.ok());
    if (d.ok()) out.push_back(std::get<UpdateMessage>(d.value()));
  }
  return out;
}

TEST(UpdatePacker, ManyIpv4PrefixesSplitAcrossFullMessages) {
  UpdatePacker packer(kIpv4Unicast, {});
  auto a = attrs_with_next_hop("10.0.0.1");
  auto b = attrs_with_next_hop("10.0.0.2", 5);
  std::vector<Prefix4> sent;
  for (uint32_t i = 0; i < 3000; ++i) {
    uint8_t addr[4] = {10, static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i), 0};
    Prefix4 p = Prefix4::make(addr, 24);
    packer.announce(p, i % 2 != 0 ? a : b);
    sent.push_back(p);
  }
  for (uint32_t i = 0; i < 1200; ++i) {
    uint8_t addr[4] = {172, 16, static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)};
    packer.withdraw(Prefix4::make(addr, 32));
  }
  auto wire = packer.finish();
  EXPECT_TRUE(packer.empty());
  auto updates = decode_all(wire, kMaxMessageSize);
  // Withdrawals come first.
  ASSERT_FALSE(updates.empty());
  EXPECT_FALSE(updates.front().withdrawn.empty());
  std::size_t withdrawn = 0;
  std::vector<Prefix4> announced;
  for (const auto& u : updates) {
    withdrawn += u.withdrawn.size();
    EXPECT_TRUE(u.withdrawn.empty() || u.nlri.empty());
    for (const auto& p : u.nlri) {
      announced.push_back(p);
      EXPECT_EQ(*u.attrs->next_hop,
                *IpAddress::parse(((p.addr[2] & 1) != 0) ? "10.0.0.1" : "10.0.0.2"));
    }
  }
  EXPECT_EQ(withdrawn, 1200u);
  std::sort(announced.begin(), announced.end());
  std::sort(sent.begin(), sent.end());
  EXPECT_EQ(announced, sent);
  // 1200 × 5 bytes of withdrawals need two messages; 1500 × 4 bytes per group need two each.
  EXPECT_EQ(wire.size(), 6u);
}

TEST(UpdatePacker, Ipv6UsesMpAttributesAndExtendedLength) {
  UpdatePacker packer(kIpv6Unicast, {}, kMaxExtendedMessageSize);
  auto a = attrs_with_next_hop("2001:db8::1");
  for (uint32_t i = 0; i < 5000; ++i) {
    uint8_t addr[16] = {
        0x20, 0x01, 0x0d, 0xb8, static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)};
    packer.announce(Prefix6::make(addr, 48), a);
    if (i < 100) packer.withdraw(Prefix6::make(addr, 64));
  }
  auto updates = decode_all(packer.finish(), kMaxExtendedMessageSize);
  std::size_t announced = 0;
  std::size_t withdrawn = 0;
  for (const auto& u : updates) {
    EXPECT_TRUE(u.nlri.empty());
    EXPECT_FALSE(u.attrs->next_hop.has_value());  // no NEXT_HOP attribute for IPv6
    if (u.mp_reach) {
      EXPECT_EQ(u.mp_reach->next_hop, *IpAddress::parse("2001:db8::1"));
      announced += u.mp_reach->nlri6.size();
    }
    if (u.mp_unreach) withdrawn += u.mp_unreach->withdrawn6.size();
  }
  EXPECT_EQ(announced, 5000u);
  EXPECT_EQ(withdrawn, 100u);
  EXPECT_EQ(updates.size(), 2u);  // 5000 × 7 bytes fit one 64 KiB message
}

TEST(UpdatePacker, Ipv4NextHopOnIpv6RouteIsMapped) {
  UpdatePacker packer(kIpv6Unicast, {});
  packer.announce(*Prefix6::parse("2001:db8::/32"), attrs_with_next_hop("192.0.2.7"));
  auto updates = decode_all(packer.finish(), kMaxMessageSize);
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].mp_reach->next_hop.to_string(), "::ffff:192.0.2.7");
}

}  // namespace
}  // namespace kr::bgp
