// An IP prefix that addresses are allocated from (--service-cluster-ip-range).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace kr::apiserver_lite {

struct IpRange {
  int family = 4;                  // 4 or 6
  std::array<uint8_t, 16> base{};  // network address (IPv4 in the first 4 bytes)
  int prefix = 0;
  std::string text;  // as given, for messages

  // Parses "10.96.0.0/12" or "fd00:10:96::/112"; nullopt if malformed or host bits are set.
  static std::optional<IpRange> parse(const std::string& cidr);
  // Inside the prefix and neither the network address nor (IPv4) the broadcast address.
  bool contains(const std::string& ip) const;
  // The address at `offset` from the network address, as text.
  std::string at(uint64_t offset) const;
  // Usable offsets (1..size), capped at 2^20: enough for any test or lab.
  uint64_t size() const;
};

// Parses an IP literal: (4 or 6, bytes), or (0, ...) when it is not one.
std::pair<int, std::array<uint8_t, 16>> parse_ip(const std::string& text);
// The canonical text of an IP literal ("fd00::01" -> "fd00::1"); "" when it is not one.
std::string canonical_ip(const std::string& text);

}  // namespace kr::apiserver_lite
