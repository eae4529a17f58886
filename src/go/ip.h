// IP address and CIDR literals as Go's net package parses and prints them.
//
// pflag's ipSlice flag (--peer-router-ips) stores net.ParseIP results and
// prints them with IP.String(); the service range flags are checked with
// net.ParseCIDR. Keeping Go's rules means the same inputs are accepted.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kr::go {

// net.ParseIP(text).String(): an IPv4 dotted quad (no leading zeros) or an
// IPv6 literal (no zone), printed canonically. IPv4-mapped IPv6 addresses
// print as IPv4 ("::ffff:10.0.0.1" -> "10.0.0.1"); IPv6 uses lower-case hex
// with the longest run (>= 2) of zero groups shortened to "::".
// nullopt if text is not an IP literal.
std::optional<std::string> canonical_ip(std::string_view text);

struct Cidr {
  bool ipv6 = false;    // family of the literal as written
  std::string network;  // canonical network address (host bits cleared)
  int prefix_length = 0;
};

// net.ParseCIDR: "<ip>/<decimal prefix length>", length within the family.
// nullopt if text is not a CIDR.
std::optional<Cidr> parse_cidr(std::string_view text);

}  // namespace kr::go
