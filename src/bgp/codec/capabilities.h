// BGP capabilities (RFC 5492) carried in the OPEN message.
//
// Capabilities this speaker acts on are decoded into fields; every other one
// (add-path, enhanced route refresh, LLGR, vendor codes...) is kept opaque in
// `other` and ignored, never answered with a NOTIFICATION.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bgp/codec/bytes.h"
#include "bgp/codec/constants.h"

namespace kr::bgp {

// RFC 4724 §3.
struct GracefulRestartCapability {
  struct FamilyFlags {
    Family family;
    bool forwarding_preserved = false;  // F bit (0x80)
    bool operator==(const FamilyFlags&) const = default;
  };
  bool restart_state = false;  // R bit (0x8 of the flags nibble)
  bool notification = false;   // N bit (0x4), RFC 8538
  uint16_t restart_time = 0;   // seconds, 12 bits
  std::vector<FamilyFlags> families;
  bool operator==(const GracefulRestartCapability&) const = default;
};

// RFC 8950 §3 tuple: NLRI of `family` may carry a next hop of `next_hop_afi`.
struct ExtendedNextHopTuple {
  Family family;
  uint16_t next_hop_afi = 0;
  bool operator==(const ExtendedNextHopTuple&) const = default;
};

struct RawCapability {
  uint8_t code = 0;
  Bytes value;
  bool operator==(const RawCapability&) const = default;
};

struct Capabilities {
  std::vector<Family> multiprotocol;                          // code 1, one per family
  bool route_refresh = false;                                 // code 2
  std::vector<ExtendedNextHopTuple> extended_next_hop;        // code 5
  bool extended_message = false;                              // code 6
  std::optional<GracefulRestartCapability> graceful_restart;  // code 64
  std::optional<uint32_t> four_octet_as;                      // code 65
  std::optional<std::string> hostname;                        // code 73 (FQDN) host part
  std::optional<std::string> domain;                          // code 73 domain part
  std::optional<std::string> software_version;                // code 75
  std::vector<RawCapability> other;                           // kept opaque, ignored

  bool operator==(const Capabilities&) const = default;
};

// Appends every capability, each as its own TLV, in GoBGP v4.8's order (route
// refresh, hostname, software version, extended message, multiprotocol,
// 4-octet AS, graceful restart, extended next hop), then `other`.
void encode_capabilities(const Capabilities& caps, Bytes& out);

// Decodes the value of one Capabilities optional parameter (a sequence of
// code/length/value triples) into `caps`, merging with what is already there
// (a peer may spread capabilities over several parameters). Returns false if
// a capability overruns the parameter or a capability this speaker acts on is
// malformed (RFC 4271 §6.2: recognized but malformed ⇒ OPEN error, subcode 0).
bool decode_capabilities(ByteSpan param_value, Capabilities& caps);

}  // namespace kr::bgp
