// Addresses and prefixes as the firewall needs them: parsed from API text, printed in the form
// ipset and iptables-save print, and subtracted (ipBlock "except").
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/netfilter/family.h"

namespace kr::netpol {

using netfilter::Family;

struct Cidr {
  Family family = Family::kIPv4;
  std::array<uint8_t, 16> bytes{};  // network order; IPv4 uses the first 4; host bits zero
  int prefix = 0;

  int max_prefix() const { return family == Family::kIPv4 ? 32 : 128; }
  bool contains(const Cidr& other) const;  // other is inside this (same family)
  bool overlaps(const Cidr& other) const;
  // "10.0.0.0/8"; a host prefix prints as the bare address, as ipset shows hash:net members.
  std::string member_text() const;
  // "10.0.0.0/8", "10.0.0.1/32": the iptables-save form of -s/-d.
  std::string text() const;
  friend bool operator==(const Cidr&, const Cidr&) = default;
  friend auto operator<=>(const Cidr&, const Cidr&) = default;
};

// An address in canonical text (inet_ntop) with its family; nullopt when it is not an address.
struct Address {
  Family family;
  std::string text;
};
std::optional<Address> parse_address(std::string_view text);

// "a.b.c.d/n" or "x::/n" (Go's net.ParseCIDR syntax), host bits cleared as upstream does
// ("10.1.2.3/8" is 10.0.0.0/8); nullopt when malformed.
std::optional<Cidr> parse_cidr(std::string_view text);

// `base` minus every prefix in `excepts`, as a list of disjoint prefixes, none of them /0
// (ipset hash:net cannot hold /0: a whole-family block is stored as its two halves).
std::vector<Cidr> subtract(const Cidr& base, const std::vector<Cidr>& excepts);

}  // namespace kr::netpol
