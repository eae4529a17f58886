// Every case of bgp-wire.md §7.2 (RFC 7606 with treat-as-withdraw enabled)
// yields the specified action, and treat-as-withdraw still hands over the
// NLRI that must be withdrawn.
#include <gtest/gtest.h>

#include "update_builder.h"

namespace kr::bgp {
namespace {

using test::kBaseAttrs;
using test::kNlri;
using test::update_wire;

std::string zeros(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += " 00";
  return s;
}

const Prefix4 kPrefix = *Prefix4::parse("10.1.0.0/16");

UpdateMessage decode_ok(const Bytes& wire, CodecOptions opts = {}) {
  auto m = decode_message(wire, opts);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().describe());
  if (!m.ok()) return {};
  return std::get<UpdateMessage>(m.value());
}

Notification decode_error(const Bytes& wire, CodecOptions opts = {}) {
  auto m = decode_message(wire, opts);
  EXPECT_FALSE(m.ok());
  return m.ok() ? Notification{} : m.error();
}

void expect_withdraw(const std::string& attrs, uint8_t subcode, CodecOptions opts = {}) {
  SCOPED_TRACE(attrs);
  auto u = decode_ok(update_wire("", attrs, kNlri), opts);
  EXPECT_EQ(u.error_action, ErrorAction::kTreatAsWithdraw);
  EXPECT_EQ(u.error.code, err::kUpdate);
  EXPECT_EQ(u.error.subcode, subcode);
  EXPECT_EQ(u.nlri, std::vector<Prefix4>{kPrefix});
}

TEST(Rfc7606, MissingMandatoryAttributesTreatAsWithdraw) {
  expect_withdraw("40 02 00  40 03 04 0a 00 00 01", err::kMissingWellKnown);     // no ORIGIN
  expect_withdraw("40 01 01 00  40 03 04 0a 00 00 01", err::kMissingWellKnown);  // no AS_PATH
  expect_withdraw("40 01 01 00  40 02 00", err::kMissingWellKnown);              // no NEXT_HOP
  auto u = decode_ok(update_wire("", "40 02 00  40 03 04 0a 00 00 01", kNlri));
  EXPECT_EQ(u.error.data, test::hex("01"));  // RFC 4271 §6.3: the missing type
}

TEST(Rfc7606, NextHopNotRequiredWithoutClassicNlri) {
  // IPv6-only UPDATE: ORIGIN, AS_PATH, MP_REACH; no NEXT_HOP.
  auto u = decode_ok(update_wire(
      "",
      "40 01 01 00  40 02 00  80 0e 1a 00 02 01 10 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 "
      "00 01 00 20 20 01 0d b8",
      ""));
  EXPECT_EQ(u.error_action, ErrorAction::kNone);
  ASSERT_TRUE(u.mp_reach);
  EXPECT_EQ(u.mp_reach->nlri6.size(), 1u);
}

TEST(Rfc7606, TreatAsWithdrawKeepsMpReachNlri) {
  // MP_REACH with 2001:db8::/32 but no ORIGIN: the IPv6 prefix must be withdrawn.
  auto u = decode_ok(update_wire(
      "",
      "40 02 00  80 0e 1a 00 02 01 10 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01 00 20 "
      "20 01 0d b8",
      ""));
  EXPECT_EQ(u.error_action, ErrorAction::kTreatAsWithdraw);
  ASSERT_TRUE(u.mp_reach);
  EXPECT_EQ(u.mp_reach->nlri6, std::vector<Prefix6>{*Prefix6::parse("2001:db8::/32")});
}

TEST(Rfc7606, MalformedWellKnownAttributesTreatAsWithdraw) {
  expect_withdraw("40 01 02 00 00  40 02 00  40 03 04 0a 00 00 01", err::kAttributeLengthError);
  expect_withdraw("40 01 01 03  40 02 00  40 03 04 0a 00 00 01", err::kInvalidOrigin);
  // AS_PATH: segment overruns, unknown type 5, empty segment.
  expect_withdraw("40 01 01 00  40 02 04 02 02 00 01  40 03 04 0a 00 00 01", err::kMalformedAsPath);
  expect_withdraw("40 01 01 00  40 02 06 05 01 00 00 00 01  40 03 04 0a 00 00 01",
                  err::kMalformedAsPath);
  expect_withdraw("40 01 01 00  40 02 02 02 00  40 03 04 0a 00 00 01", err::kMalformedAsPath);
  // NEXT_HOP: wrong length, 0.0.0.0, multicast, class E, loopback.
  expect_withdraw("40 01 01 00  40 02 00  40 03 05 0a 00 00 01 00", err::kAttributeLengthError);
  expect_withdraw("40 01 01 00  40 02 00  40 03 04 00 00 00 00", err::kInvalidNextHop);
  expect_withdraw("40 01 01 00  40 02 00  40 03 04 e0 00 00 01", err::kInvalidNextHop);
  expect_withdraw("40 01 01 00  40 02 00  40 03 04 f0 00 00 01", err::kInvalidNextHop);
  expect_withdraw("40 01 01 00  40 02 00  40 03 04 7f 00 00 01", err::kInvalidNextHop);
  auto loop = decode_ok(update_wire("", "40 01 01 00  40 02 00  40 03 04 7f 00 00 01", kNlri),
                        CodecOptions{.allow_loopback_next_hop = true});
  EXPECT_EQ(loop.error_action, ErrorAction::kNone);
  // LOCAL_PREF wrong length.
  expect_withdraw(kBaseAttrs + "40 05 03 00 00 64", err::kAttributeLengthError);
}

TEST(Rfc7606, MalformedOptionalAttributesTreatAsWithdraw) {
  expect_withdraw(kBaseAttrs + "80 04 03 00 00 01", err::kAttributeLengthError);          // MED
  expect_withdraw(kBaseAttrs + "c0 08 05 00 00 00 01 02", err::kOptionalAttributeError);  // COMM
  expect_withdraw(kBaseAttrs + "c0 08 00", err::kOptionalAttributeError);                 // COMM
  expect_withdraw(kBaseAttrs + "80 09 03 0a 00 00", err::kAttributeLengthError);  // ORIGINATOR
  expect_withdraw(kBaseAttrs + "80 0a 06 0a 00 00 01 0a 00", err::kAttributeLengthError);
  expect_withdraw(kBaseAttrs + "c0 10 09 00 02 00 00 00 00 00 01 ff", err::kOptionalAttributeError);
  expect_withdraw(kBaseAttrs + "c0 19 15" + zeros(21),
                  err::kOptionalAttributeError);  // IPv6 extended communities, 21 bytes
  expect_withdraw(kBaseAttrs + "c0 20 0d 00 00 00 01 00 00 00 02 00 00 00 03 04",
                  err::kOptionalAttributeError);  // large communities, 13 bytes
  // AS4_PATH and AS4_AGGREGATOR on a 2-octet session.
  const CodecOptions two_octet{.four_octet_as = false};
  expect_withdraw(kBaseAttrs + "c0 11 03 02 01 00", err::kMalformedAsPath, two_octet);
  expect_withdraw(kBaseAttrs + "c0 12 07 00 00 fc 00 0a 00 00", err::kAttributeLengthError,
                  two_octet);
}

TEST(Rfc7606, BadFlagsMakeAnAttributeMalformed) {
  // ORIGIN sent optional transitive.
  expect_withdraw("c0 01 01 00  40 02 00  40 03 04 0a 00 00 01", err::kAttributeFlagsError);
  // Partial bit on a well-known attribute.
  expect_withdraw("60 01 01 00  40 02 00  40 03 04 0a 00 00 01", err::kAttributeFlagsError);
}

TEST(Rfc7606, AtomicAggregateAndAggregatorAreDiscarded) {
  for (const char* bad : {"40 06 01 00", "c0 07 07 00 00 fc 00 0a 00 00"}) {
    auto u = decode_ok(update_wire("", kBaseAttrs + bad, kNlri));
    EXPECT_EQ(u.error_action, ErrorAction::kAttributeDiscard) << bad;
    EXPECT_FALSE(u.attrs->atomic_aggregate);
    EXPECT_FALSE(u.attrs->aggregator.has_value());
    EXPECT_EQ(u.attrs->origin, Origin::kIgp);  // the rest is used
    EXPECT_EQ(u.nlri, std::vector<Prefix4>{kPrefix});
  }
}

TEST(Rfc7606, RepeatedAttributeKeepsTheFirst) {
  auto u =
      decode_ok(update_wire("", kBaseAttrs + "80 04 04 00 00 00 01  80 04 04 00 00 00 02", kNlri));
  EXPECT_EQ(u.error_action, ErrorAction::kAttributeDiscard);
  EXPECT_EQ(u.attrs->med, 1u);
}

TEST(Rfc7606, MultiprotocolAttributeErrorsResetTheSession) {
  const std::string mp_unreach = "80 0f 03 00 02 01 ";
  // Repeated MP_UNREACH ⇒ 3/1.
  auto rep = decode_error(update_wire("", mp_unreach + mp_unreach, ""));
  EXPECT_EQ(rep.code, err::kUpdate);
  EXPECT_EQ(rep.subcode, err::kMalformedAttributeList);
  // IPv6 next hop of 5 bytes ⇒ NLRI cannot be located ⇒ reset.
  auto nh = decode_error(
      update_wire("", "40 01 01 00 40 02 00 80 0e 0a 00 02 01 05 01 02 03 04 05 00", ""));
  EXPECT_EQ(nh.subcode, err::kOptionalAttributeError);
  // MP_REACH NLRI overruns the attribute.
  auto nlri = decode_error(update_wire(
      "",
      "40 01 01 00 40 02 00 80 0e 16 00 02 01 10 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 "
      "01 00 40 20 01 0d b8 00",
      ""));
  EXPECT_EQ(nlri.subcode, err::kOptionalAttributeError);
  // MP_UNREACH prefix length 129.
  auto bad_len = decode_error(update_wire("", "80 0f 04 00 02 01 81", ""));
  EXPECT_EQ(bad_len.subcode, err::kOptionalAttributeError);
  // MP_REACH sent transitive.
  auto flags = decode_error(update_wire("", "c0 0f 03 00 02 01", ""));
  EXPECT_EQ(flags.subcode, err::kAttributeFlagsError);
}

TEST(Rfc7606, UnrecognizedWellKnownResetsWithTheAttributeAsData) {
  auto n = decode_error(update_wire("", kBaseAttrs + "40 63 02 ab cd", kNlri));
  EXPECT_EQ(n.code, err::kUpdate);
  EXPECT_EQ(n.subcode, err::kUnrecognizedWellKnown);
  EXPECT_EQ(n.data, test::hex("40 63 02 ab cd"));
}

TEST(Rfc7606, UnknownOptionalAttributeIsKeptOpaque) {
  auto u = decode_ok(update_wire("", kBaseAttrs + "e0 63 02 ab cd", kNlri));
  EXPECT_EQ(u.error_action, ErrorAction::kNone);
  ASSERT_EQ(u.attrs->other.size(), 1u);
  EXPECT_EQ(u.attrs->other[0].type, 0x63);
  EXPECT_EQ(u.attrs->other[0].flags, 0xE0);
  EXPECT_EQ(u.attrs->other[0].value, test::hex("ab cd"));
}

TEST(Rfc7606, AttributeOverrunningTheFieldWithdrawsOrResets) {
  // The last attribute claims 9 bytes but only 4 remain in the field.
  auto u = decode_ok(update_wire("", kBaseAttrs + "80 04 09 00 00 00 01", kNlri));
  EXPECT_EQ(u.error_action, ErrorAction::kTreatAsWithdraw);
  EXPECT_EQ(u.nlri, std::vector<Prefix4>{kPrefix});
  // Fewer than 3 bytes left for an attribute header.
  auto t = decode_ok(update_wire("", kBaseAttrs + "80 04", kNlri));
  EXPECT_EQ(t.error_action, ErrorAction::kTreatAsWithdraw);
  // Nothing locatable to withdraw: an MP attribute may hide behind ⇒ reset.
  auto n = decode_error(update_wire("", kBaseAttrs + "80 04 09 00", ""));
  EXPECT_EQ(n.subcode, err::kMalformedAttributeList);
}

TEST(Rfc7606, LocalPrefFromExternalPeerIsIgnored) {
  auto u = decode_ok(update_wire("", kBaseAttrs + "40 05 04 00 00 01 2c", kNlri),
                     CodecOptions{.ebgp = true});
  EXPECT_EQ(u.error_action, ErrorAction::kNone);
  EXPECT_FALSE(u.attrs->local_pref.has_value());
}

TEST(Rfc7606, ConfederationSegmentsFromExternalPeerWithdraw) {
  const std::string attrs = "40 01 01 00  40 02 06 03 01 00 00 fd e8  40 03 04 0a 00 00 01";
  expect_withdraw(attrs, err::kMalformedAsPath, CodecOptions{.ebgp = true});
  EXPECT_EQ(decode_ok(update_wire("", attrs, kNlri)).error_action, ErrorAction::kNone);
}

TEST(Rfc7606, As4PathFromFourOctetSpeakerIsDiscarded) {
  // RFC 6793 §3: AS4_PATH between NEW speakers is ignored, not merged.
  auto u = decode_ok(update_wire(
      "",
      "40 01 01 00  40 02 06 02 01 00 00 fd e8  40 03 04 0a 00 00 01  c0 11 06 02 01 fa 56 ea 01",
      kNlri));
  EXPECT_EQ(u.error_action, ErrorAction::kNone);
  EXPECT_EQ(u.attrs->as_path->to_string(), "65000");
  // Unexamined: even with wrong flags and a broken value it changes nothing.
  auto bad = decode_ok(update_wire("", kBaseAttrs + "40 11 03 02 05 00  40 12 01 00", kNlri));
  EXPECT_EQ(bad.error_action, ErrorAction::kNone);
}

}  // namespace
}  // namespace kr::bgp
