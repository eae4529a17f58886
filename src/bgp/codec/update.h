// UPDATE messages (RFC 4271 §4.3, RFC 4760 multiprotocol NLRI) with RFC 7606
// revised error handling, and End-of-RIB markers (RFC 4724 §2).
//
// Decoding yields either the NOTIFICATION for errors that require a session
// reset, or the message plus an RFC 7606 verdict. On treat-as-withdraw every
// NLRI that could be located (classic NLRI and MP_REACH_NLRI) must be handled
// as withdrawn, together with the explicit withdrawals.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bgp/codec/notification.h"
#include "bgp/codec/path_attributes.h"

namespace kr::bgp {

// What the session negotiated; decoding and encoding depend on it.
struct CodecOptions {
  bool four_octet_as = true;      // both sides sent capability 65 (RFC 6793)
  bool extended_message = false;  // both sides sent capability 6 (RFC 8654)
  bool ebgp = false;              // peer AS differs from ours
  // GoBGP rejects loopback NEXT_HOPs unless the session itself is on loopback.
  bool allow_loopback_next_hop = false;
};

// RFC 7606 §2 approaches short of session reset, weakest first.
enum class ErrorAction : uint8_t { kNone = 0, kAttributeDiscard = 1, kTreatAsWithdraw = 2 };

struct MpReach {
  Family family;
  // False for AFI/SAFIs this codec does not parse (their NLRI is skipped).
  bool supported = true;
  IpAddress next_hop;
  std::optional<IpAddress> link_local_next_hop;  // RFC 2545 32-byte form
  std::vector<Prefix4> nlri4;                    // family IPv4 unicast
  std::vector<Prefix6> nlri6;                    // family IPv6 unicast
  bool operator==(const MpReach&) const = default;
};

struct MpUnreach {
  Family family;
  bool supported = true;
  std::vector<Prefix4> withdrawn4;
  std::vector<Prefix6> withdrawn6;
  bool operator==(const MpUnreach&) const = default;
};

struct UpdateMessage {
  std::vector<Prefix4> withdrawn;
  // Never null after decoding. Its next_hop is the NEXT_HOP attribute.
  AttrSetPtr attrs;
  std::optional<MpReach> mp_reach;
  std::optional<MpUnreach> mp_unreach;
  std::vector<Prefix4> nlri;

  // RFC 7606 outcome. `error` names the strongest problem (code 3 and its
  // subcode, data as RFC 4271 would send it) for logging; it is not sent.
  ErrorAction error_action = ErrorAction::kNone;
  Notification error;
  std::string error_detail;

  // The family this UPDATE marks End-of-RIB for: an empty UPDATE is IPv4
  // unicast; an UPDATE holding only an empty MP_UNREACH_NLRI is its family.
  std::optional<Family> end_of_rib() const;
  bool has_nlri() const;

  bool operator==(const UpdateMessage& o) const;
};

// `body` is the message after the header.
DecodeResult<UpdateMessage> decode_update_body(ByteSpan body, const CodecOptions& opts);

// Encodes one UPDATE, header included. Attributes go out in ascending type
// order; NEXT_HOP is written only when the message has classic NLRI or no
// MP_REACH_NLRI. With !four_octet_as, AS_PATH/AGGREGATOR use AS_TRANS and
// AS4_PATH/AS4_AGGREGATOR are added when needed. Does not enforce the size
// limit: UpdatePacker does.
Bytes encode_update(const UpdateMessage& update, const CodecOptions& opts);

Bytes encode_end_of_rib(Family family);

}  // namespace kr::bgp
