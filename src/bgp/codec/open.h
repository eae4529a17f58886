// OPEN message (RFC 4271 §4.2) with one Capabilities optional parameter
// (RFC 5492), and the checks a received OPEN must pass (bgp-wire.md §5.3).
#pragma once

#include <optional>
#include <vector>

#include "bgp/codec/capabilities.h"
#include "bgp/codec/notification.h"

namespace kr::bgp {

struct OpenMessage {
  uint8_t version = 4;
  uint16_t my_as = 0;  // 2-octet field: AS_TRANS when the real AS is larger
  uint16_t hold_time = 0;
  uint32_t bgp_id = 0;  // host order
  Capabilities capabilities;
  // Optional parameters other than Capabilities (type 2): kept, ignored.
  struct RawParam {
    uint8_t type = 0;
    Bytes value;
    bool operator==(const RawParam&) const = default;
  };
  std::vector<RawParam> other_params;

  // The sender's AS: the 4-octet capability overrides My AS (RFC 6793 §4.1).
  uint32_t asn() const { return capabilities.four_octet_as.value_or(my_as); }
  // Fills my_as (AS_TRANS above 65535) and the 4-octet capability from `asn`.
  void set_asn(uint32_t asn);

  bool operator==(const OpenMessage&) const = default;
};

// The whole message, header included. All capabilities go into one optional
// parameter; no RFC 9072 extended parameter encoding.
Bytes encode_open(const OpenMessage& open);

// `body` is the message after the header (framing already checked length >= 29).
DecodeResult<OpenMessage> decode_open_body(ByteSpan body);

// What the local side expects of a peer's OPEN.
struct OpenExpectations {
  uint32_t local_as = 0;
  uint32_t local_id = 0;
  // 0 = not configured (kube-router full-mesh node peers): any AS accepted.
  uint32_t peer_as = 0;
};

// RFC 4271 §6.2 / RFC 6286 §2.2 checks in GoBGP's order: version (2/1),
// BGP identifier zero or equal to ours on an internal session (2/3), peer AS
// (2/2), hold time 1 or 2 seconds (2/6). nullopt means acceptable.
std::optional<Notification> validate_open(const OpenMessage& open, const OpenExpectations& exp);

}  // namespace kr::bgp
