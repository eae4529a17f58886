// Address families and CIDR ranges as the proxy uses them: the service IP ranges of the
// validator (proxy.md §1.5), --excluded-cidrs (§4.7) and the node's pod CIDRs (§7.1).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/netlink/ip.h"

namespace kr::proxy {

using netlink::IpAddress;

// Everything the proxy programs happens once per family (proxy.md "Notation").
enum class Family { kIPv4, kIPv6 };

inline constexpr Family kBothFamilies[] = {Family::kIPv4, Family::kIPv6};

// The family of a non-empty address.
inline Family family_of(const IpAddress& address) {
  return address.is_v6() ? Family::kIPv6 : Family::kIPv4;
}

// "IPv4" / "IPv6", for messages.
std::string_view family_name(Family family);

struct Cidr {
  IpAddress network;  // host bits cleared
  std::uint8_t length = 0;

  Family family() const { return family_of(network); }
  bool contains(const IpAddress& address) const;
  std::string to_string() const;  // "10.244.1.0/24"

  // "a.b.c.d/n" or "x::/n" as Go's net.ParseCIDR reads it: the length is required and host bits
  // are cleared ("10.1.2.3/8" is 10.0.0.0/8). nullopt when malformed.
  static std::optional<Cidr> parse(std::string_view text);

  friend bool operator==(const Cidr&, const Cidr&) = default;
  friend auto operator<=>(const Cidr&, const Cidr&) = default;
};

// True when any of the ranges contains the address.
bool any_contains(std::span<const Cidr> ranges, const IpAddress& address);

// Parses every entry of a list flag; on the first bad entry returns nullopt and sets `error` to
// e.g. "--excluded-cidrs: invalid CIDR \"10.0.0.0\"".
std::optional<std::vector<Cidr>> parse_cidr_list(std::span<const std::string> texts,
                                                 std::string_view flag, std::string* error);

}  // namespace kr::proxy
