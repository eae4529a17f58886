// Protocol numbers of BGP-4 and the extensions this speaker implements.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace kr::bgp {

// RFC 4271 §4.1.
inline constexpr std::size_t kHeaderSize = 19;
inline constexpr std::size_t kMarkerSize = 16;
inline constexpr std::size_t kMaxMessageSize = 4096;
// RFC 8654: UPDATE, NOTIFICATION and ROUTE-REFRESH may grow to this once both
// sides advertised the Extended Message capability. OPEN and KEEPALIVE may not.
inline constexpr std::size_t kMaxExtendedMessageSize = 65535;

enum class MessageType : uint8_t {
  kOpen = 1,
  kUpdate = 2,
  kNotification = 3,
  kKeepalive = 4,
  kRouteRefresh = 5,
};

// RFC 6793 §9: stands in for a 4-octet AS toward 2-octet speakers.
inline constexpr uint32_t kAsTrans = 23456;

// Path attribute type codes (IANA "BGP Path Attributes").
enum class AttrType : uint8_t {
  kOrigin = 1,
  kAsPath = 2,
  kNextHop = 3,
  kMed = 4,
  kLocalPref = 5,
  kAtomicAggregate = 6,
  kAggregator = 7,
  kCommunities = 8,
  kOriginatorId = 9,
  kClusterList = 10,
  kMpReachNlri = 14,
  kMpUnreachNlri = 15,
  kExtendedCommunities = 16,
  kAs4Path = 17,
  kAs4Aggregator = 18,
  kIpv6ExtendedCommunities = 25,
  kLargeCommunities = 32,
};

// RFC 4271 §4.3 attribute flag bits.
inline constexpr uint8_t kFlagOptional = 0x80;
inline constexpr uint8_t kFlagTransitive = 0x40;
inline constexpr uint8_t kFlagPartial = 0x20;
inline constexpr uint8_t kFlagExtendedLength = 0x10;

enum class Origin : uint8_t { kIgp = 0, kEgp = 1, kIncomplete = 2 };

// RFC 4760 address family identifiers this speaker understands.
inline constexpr uint16_t kAfiIpv4 = 1;
inline constexpr uint16_t kAfiIpv6 = 2;
inline constexpr uint8_t kSafiUnicast = 1;

struct Family {
  uint16_t afi = kAfiIpv4;
  uint8_t safi = kSafiUnicast;

  bool is_ipv4_unicast() const { return afi == kAfiIpv4 && safi == kSafiUnicast; }
  bool is_ipv6_unicast() const { return afi == kAfiIpv6 && safi == kSafiUnicast; }
  std::string to_string() const;  // "ipv4-unicast", "ipv6-unicast" or "afi/safi"
  // clang-tidy 14 misreads the generated body of a defaulted <=> (llvm-project#53961).
  // NOLINTNEXTLINE(modernize-use-nullptr)
  auto operator<=>(const Family&) const = default;
};
inline constexpr Family kIpv4Unicast{kAfiIpv4, kSafiUnicast};
inline constexpr Family kIpv6Unicast{kAfiIpv6, kSafiUnicast};

// Capability codes (IANA "Capability Codes"), RFC 5492.
enum class CapabilityCode : uint8_t {
  kMultiprotocol = 1,
  kRouteRefresh = 2,
  kExtendedNextHop = 5,
  kExtendedMessage = 6,
  kGracefulRestart = 64,
  kFourOctetAs = 65,
  kAddPath = 69,
  kEnhancedRouteRefresh = 70,
  kLongLivedGracefulRestart = 71,
  kHostname = 73,
  kSoftwareVersion = 75,
};

// NOTIFICATION error codes and the subcodes this speaker emits (RFC 4271 §4.5,
// RFC 4486, RFC 8203).
namespace err {
inline constexpr uint8_t kHeader = 1;
inline constexpr uint8_t kOpen = 2;
inline constexpr uint8_t kUpdate = 3;
inline constexpr uint8_t kHoldTimerExpired = 4;
inline constexpr uint8_t kFsm = 5;
inline constexpr uint8_t kCease = 6;

// Header subcodes.
inline constexpr uint8_t kConnectionNotSynchronized = 1;
inline constexpr uint8_t kBadMessageLength = 2;
inline constexpr uint8_t kBadMessageType = 3;
// OPEN subcodes.
inline constexpr uint8_t kUnspecific = 0;
inline constexpr uint8_t kUnsupportedVersion = 1;
inline constexpr uint8_t kBadPeerAs = 2;
inline constexpr uint8_t kBadBgpIdentifier = 3;
inline constexpr uint8_t kUnacceptableHoldTime = 6;
// UPDATE subcodes.
inline constexpr uint8_t kMalformedAttributeList = 1;
inline constexpr uint8_t kUnrecognizedWellKnown = 2;
inline constexpr uint8_t kMissingWellKnown = 3;
inline constexpr uint8_t kAttributeFlagsError = 4;
inline constexpr uint8_t kAttributeLengthError = 5;
inline constexpr uint8_t kInvalidOrigin = 6;
inline constexpr uint8_t kInvalidNextHop = 8;
inline constexpr uint8_t kOptionalAttributeError = 9;
inline constexpr uint8_t kInvalidNetworkField = 10;
inline constexpr uint8_t kMalformedAsPath = 11;
// Cease subcodes (RFC 4486).
inline constexpr uint8_t kAdministrativeShutdown = 2;
inline constexpr uint8_t kPeerDeconfigured = 3;
inline constexpr uint8_t kAdministrativeReset = 4;
}  // namespace err

}  // namespace kr::bgp

template <>
struct std::hash<kr::bgp::Family> {
  std::size_t operator()(const kr::bgp::Family& f) const noexcept {
    return (std::size_t{f.afi} << 8) | f.safi;
  }
};
