#include "ip_range.h"

#include <arpa/inet.h>

#include <charconv>

namespace kr::apiserver_lite {
namespace {

using Address = std::array<uint8_t, 16>;
using U128 = unsigned __int128;

U128 to_int(const Address& bytes, int family) {
  U128 value = 0;
  for (int i = 0; i < (family == 4 ? 4 : 16); ++i) {
    value = value << 8 | bytes[static_cast<size_t>(i)];
  }
  return value;
}

std::string to_text(U128 value, int family) {
  Address bytes{};
  const int length = family == 4 ? 4 : 16;
  for (int i = length - 1; i >= 0; --i) {
    bytes[static_cast<size_t>(i)] = static_cast<uint8_t>(value & 0xff);
    value >>= 8;
  }
  char text[INET6_ADDRSTRLEN];
  inet_ntop(family == 4 ? AF_INET : AF_INET6, bytes.data(), text, sizeof text);
  return text;
}

}  // namespace

std::pair<int, Address> parse_ip(const std::string& text) {
  Address bytes{};
  if (inet_pton(AF_INET, text.c_str(), bytes.data()) == 1) {
    return {4, bytes};
  }
  if (inet_pton(AF_INET6, text.c_str(), bytes.data()) == 1) {
    return {6, bytes};
  }
  return {0, bytes};
}

std::string canonical_ip(const std::string& text) {
  const auto [family, bytes] = parse_ip(text);
  return family == 0 ? std::string() : to_text(to_int(bytes, family), family);
}

std::optional<IpRange> IpRange::parse(const std::string& cidr) {
  const size_t slash = cidr.find('/');
  if (slash == std::string::npos) {
    return std::nullopt;
  }
  const auto [family, bytes] = parse_ip(cidr.substr(0, slash));
  int prefix = -1;
  const std::string bits = cidr.substr(slash + 1);
  const auto [ptr, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
  const int width = family == 4 ? 32 : 128;
  if (family == 0 || ec != std::errc() || ptr != bits.data() + bits.size() || prefix < 0 ||
      prefix > width - 2) {
    return std::nullopt;
  }
  const U128 value = to_int(bytes, family);
  const U128 host_mask = (U128{1} << (width - prefix)) - 1;
  if ((value & host_mask) != 0) {
    return std::nullopt;
  }
  return IpRange{family, bytes, prefix, cidr};
}

uint64_t IpRange::size() const {
  const int host_bits = (family == 4 ? 32 : 128) - prefix;
  if (host_bits >= 21) {
    return uint64_t{1} << 20;
  }
  return (uint64_t{1} << host_bits) - (family == 4 ? 2 : 1);
}

bool IpRange::contains(const std::string& ip) const {
  const auto [ip_family, bytes] = parse_ip(ip);
  if (ip_family != family) {
    return false;
  }
  const int width = family == 4 ? 32 : 128;
  const U128 base_value = to_int(base, family);
  const U128 value = to_int(bytes, family);
  const U128 host_mask = (U128{1} << (width - prefix)) - 1;
  const U128 offset = value - base_value;
  // Inside the prefix, and neither the network address nor the IPv4 broadcast address.
  return (value & ~host_mask) == base_value && offset != 0 && (family == 6 || offset != host_mask);
}

std::string IpRange::at(uint64_t offset) const {
  return to_text(to_int(base, family) + offset, family);
}

}  // namespace kr::apiserver_lite
