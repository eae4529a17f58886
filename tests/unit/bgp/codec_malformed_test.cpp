// Malformed lengths anywhere yield the NOTIFICATION RFC 4271 §6 prescribes
// and never crash; OPEN acceptance follows bgp-wire.md §5.3.
#include <gtest/gtest.h>

#include <random>

#include "update_builder.h"

namespace kr::bgp {
namespace {

using test::hex;

Notification frame_error(const Bytes& wire, bool extended = false) {
  auto f = next_frame(wire, extended);
  EXPECT_EQ(f.status, FrameResult::Status::kError);
  return f.error;
}

Bytes header(uint16_t length, uint8_t type) {
  Bytes b(16, 0xFF);
  put_u16(b, length);
  put_u8(b, type);
  b.resize(std::max<std::size_t>(length, 19), 0);
  return b;
}

TEST(CodecMalformed, HeaderMarkerTypeAndLength) {
  Bytes bad_marker = hex("ff×15 fe 00 13 04");
  EXPECT_EQ(frame_error(bad_marker), make_error(err::kHeader, err::kConnectionNotSynchronized));
  EXPECT_EQ(frame_error(header(19, 0)), make_error(err::kHeader, err::kBadMessageType, {0}));
  EXPECT_EQ(frame_error(header(19, 6)), make_error(err::kHeader, err::kBadMessageType, {6}));
  // Data of a length error is the offending length field.
  EXPECT_EQ(frame_error(header(18, 4)), make_error(err::kHeader, err::kBadMessageLength, {0, 18}));
  // Length is judged before type (RFC 4271 §6.1).
  EXPECT_EQ(frame_error(header(5, 9)), make_error(err::kHeader, err::kBadMessageLength, {0, 5}));
  EXPECT_EQ(frame_error(header(4097, 2)),
            make_error(err::kHeader, err::kBadMessageLength, {0x10, 0x01}));
}

TEST(CodecMalformed, PerTypeLengthLimits) {
  EXPECT_EQ(frame_error(header(20, 4)).subcode, err::kBadMessageLength);  // KEEPALIVE
  EXPECT_EQ(frame_error(header(28, 1)).subcode, err::kBadMessageLength);  // OPEN
  EXPECT_EQ(frame_error(header(22, 2)).subcode, err::kBadMessageLength);  // UPDATE
  EXPECT_EQ(frame_error(header(20, 3)).subcode, err::kBadMessageLength);  // NOTIFICATION
  EXPECT_EQ(frame_error(header(24, 5)).subcode, err::kBadMessageLength);  // ROUTE-REFRESH
}

TEST(CodecMalformed, ExtendedMessageRaisesOnlyUpdateAndNotificationLimits) {
  EXPECT_EQ(next_frame(header(5000, 2), true).status, FrameResult::Status::kFrame);
  EXPECT_EQ(next_frame(header(5000, 3), true).status, FrameResult::Status::kFrame);
  EXPECT_EQ(frame_error(header(5000, 1), true).subcode, err::kBadMessageLength);
  EXPECT_EQ(frame_error(header(5000, 2), false).subcode, err::kBadMessageLength);
}

TEST(CodecMalformed, PartialInputWaitsForMore) {
  Bytes ka = encode_keepalive();
  EXPECT_EQ(next_frame(ByteSpan(ka).first(18), false).status, FrameResult::Status::kNeedMore);
  Bytes update = test::update_wire("", "", "");
  EXPECT_EQ(next_frame(ByteSpan(update).first(20), false).status, FrameResult::Status::kNeedMore);
  Bytes two = ka;
  put_bytes(two, update);
  auto f = next_frame(two, false);
  ASSERT_EQ(f.status, FrameResult::Status::kFrame);
  EXPECT_EQ(f.frame.message.size(), 19u);
}

TEST(CodecMalformed, UpdateLengthFieldsInconsistentWithMessage) {
  // Withdrawn Routes Length runs past the end ⇒ 3/1.
  auto m = decode_message(hex("ff×16 00 17 02 00 05 00 00"), {});
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error(), make_error(err::kUpdate, err::kMalformedAttributeList));
  // Total Path Attribute Length runs past the end ⇒ 3/1.
  m = decode_message(hex("ff×16 00 18 02 00 00 00 09 40"), {});
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().subcode, err::kMalformedAttributeList);
}

TEST(CodecMalformed, BadPrefixesInClassicFieldsAreInvalidNetworkField) {
  for (const auto& wire : {test::update_wire("21 0a 00 00 00 00", "", ""),  // /33 withdrawn
                           test::update_wire("18 0a 00", "", ""),           // /24, 2 bytes
                           test::update_wire("", test::kBaseAttrs, "20 0a 01"),
                           test::update_wire("", test::kBaseAttrs, "21 0a 01 00 00 00")}) {
    auto m = decode_message(wire, {});
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error(), make_error(err::kUpdate, err::kInvalidNetworkField));
  }
}

TEST(CodecMalformed, BufferLongerThanLengthField) {
  Bytes wire = encode_keepalive();
  wire.push_back(0);
  auto m = decode_message(wire, {});
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().subcode, err::kBadMessageLength);
}

TEST(CodecMalformed, OpenParametersAndCapabilities) {
  // Optional Parameters Length 4 but 2 bytes follow ⇒ 2/0.
  auto m = decode_message(hex("ff×16 00 1f 01 04 fc 00 00 5a 0a 00 01 0a 04 02 00"), {});
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error(), make_error(err::kOpen, err::kUnspecific));
  // A capability overrunning its parameter ⇒ 2/0.
  m = decode_message(hex("ff×16 00 21 01 04 fc 00 00 5a 0a 00 01 0a 04 02 02 41 04"), {});
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error(), make_error(err::kOpen, err::kUnspecific));
  // Multiprotocol capability of 3 bytes ⇒ 2/0.
  m = decode_message(hex("ff×16 00 22 01 04 fc 00 00 5a 0a 00 01 0a 05 02 03 01 01 00"), {});
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error(), make_error(err::kOpen, err::kUnspecific));
  // Unknown capabilities (70, 71, 128) are ignored.
  m = decode_message(
      hex("ff×16 00 27 01 04 fc 00 00 5a 0a 00 01 0a 0a 02 08 46 00 47 00 80 00 02 00"), {});
  ASSERT_TRUE(m.ok());
  const auto& open = std::get<OpenMessage>(m.value());
  EXPECT_TRUE(open.capabilities.route_refresh);
  EXPECT_EQ(open.capabilities.other.size(), 3u);
}

TEST(CodecMalformed, OpenValidation) {
  OpenMessage open;
  open.set_asn(65000);
  open.hold_time = 90;
  open.bgp_id = 0x0A000002;
  const OpenExpectations exp{64512, 0x0A000001, 65000};
  EXPECT_EQ(validate_open(open, exp), std::nullopt);
  OpenMessage v3 = open;
  v3.version = 3;
  EXPECT_EQ(validate_open(v3, exp), make_error(err::kOpen, err::kUnsupportedVersion, {0, 4}));
  OpenMessage zero_id = open;
  zero_id.bgp_id = 0;
  EXPECT_EQ(validate_open(zero_id, exp)->subcode, err::kBadBgpIdentifier);
  OpenMessage wrong_as = open;
  wrong_as.set_asn(65001);
  EXPECT_EQ(validate_open(wrong_as, exp)->subcode, err::kBadPeerAs);
  // Unset peer AS (full mesh) accepts any AS.
  EXPECT_EQ(validate_open(wrong_as, OpenExpectations{64512, 0x0A000001, 0}), std::nullopt);
  for (uint16_t hold : {1, 2}) {
    OpenMessage h = open;
    h.hold_time = hold;
    EXPECT_EQ(validate_open(h, exp)->subcode, err::kUnacceptableHoldTime);
  }
  OpenMessage no_hold = open;
  no_hold.hold_time = 0;
  EXPECT_EQ(validate_open(no_hold, exp), std::nullopt);
  // Same identifier as ours: rejected on an internal session only (RFC 6286).
  OpenMessage same_id = open;
  same_id.bgp_id = exp.local_id;
  EXPECT_EQ(validate_open(same_id, exp), std::nullopt);
  same_id.set_asn(64512);
  EXPECT_EQ(validate_open(same_id, OpenExpectations{64512, 0x0A000001, 0})->subcode,
            err::kBadBgpIdentifier);
}

// Every truncation and many random corruptions of the §17 vectors decode to a
// message or an error; none crashes or reads out of bounds (ASan in CI).
TEST(CodecMalformed, TruncationsAndCorruptionsNeverCrash) {
  const std::vector<Bytes> seeds = {
      hex("ff×16 00 41 01 04 fc 00 00 5a 0a 00 01 0a 24 02 22 02 00 49 08 06 6e 6f 64 65 2d 61 00 "
          "06 00 01 04 00 01 00 01 41 04 00 00 fc 00 05 06 00 01 00 01 00 02"),
      hex("ff×16 00 3b 02 00 00 00 1b 40 01 01 00 40 02 06 02 01 00 00 fc 00 40 03 04 0a 00 01 0a "
          "c0 08 04 ff ff ff 01 18 0a f4 00 20 0a 60 00 32"),
      hex("ff×16 00 46 02 00 00 00 2f 40 01 01 00 40 02 00 40 05 04 00 00 00 64 80 0e 1e 00 02 01 "
          "10 20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 10 00 40 20 01 0d b8 00 42 00 00"),
  };
  std::mt19937 rng(7606);
  std::size_t decoded = 0;
  std::size_t rejected = 0;
  for (const Bytes& seed : seeds) {
    for (std::size_t len = 19; len < seed.size(); ++len) {
      Bytes cut(seed.begin(), seed.begin() + static_cast<std::ptrdiff_t>(len));
      patch_u16(cut, 16, static_cast<uint16_t>(len));
      (decode_message(cut, {}).ok() ? decoded : rejected)++;
    }
    for (int i = 0; i < 3000; ++i) {
      Bytes m = seed;
      const int flips = 1 + static_cast<int>(rng() % 4);
      for (int f = 0; f < flips; ++f) {
        m[19 + rng() % (m.size() - 19)] = static_cast<uint8_t>(rng());
      }
      for (bool four : {true, false}) {
        (decode_message(m, CodecOptions{.four_octet_as = four}).ok() ? decoded : rejected)++;
      }
    }
  }
  // Both outcomes occur, so the corpus exercised error paths and success paths.
  EXPECT_GT(decoded, 0u);
  EXPECT_GT(rejected, 0u);
}

}  // namespace
}  // namespace kr::bgp
