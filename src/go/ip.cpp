#include "go/ip.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <string>

namespace kr::go {
namespace {

using Bytes = std::array<std::uint8_t, 16>;

struct Address {
  Bytes bytes{};  // IPv4 in the first 4 bytes when !ipv6
  bool ipv6 = false;
};

// inet_pton follows the same grammar as Go's netip.ParseAddr for IPv4 (four
// decimal fields, no leading zeros) and IPv6 ("::" for at least one zero
// group, optional trailing dotted quad); it rejects zones, as net.ParseIP does.
std::optional<Address> parse_address(std::string_view text) {
  const std::string nul_terminated(text);
  if (nul_terminated.size() != text.size()) {
    return std::nullopt;  // embedded NUL
  }
  Address address;
  if (inet_pton(AF_INET, nul_terminated.c_str(), address.bytes.data()) == 1) {
    return address;
  }
  if (inet_pton(AF_INET6, nul_terminated.c_str(), address.bytes.data()) == 1) {
    address.ipv6 = true;
    return address;
  }
  return std::nullopt;
}

bool is_ipv4_mapped(const Bytes& b) {
  for (int i = 0; i < 10; ++i) {
    if (b[i] != 0) {
      return false;
    }
  }
  return b[10] == 0xff && b[11] == 0xff;
}

std::string format_ipv4(const std::uint8_t* b) {
  return fmt::format("{}.{}.{}.{}", b[0], b[1], b[2], b[3]);
}

// Go's netip.Addr.String for IPv6 (without zone).
std::string format_ipv6(const Bytes& b) {
  std::array<unsigned, 8> groups{};
  for (std::size_t i = 0; i < 8; ++i) {
    groups[i] = (static_cast<unsigned>(b[2 * i]) << 8) | b[2 * i + 1];
  }
  // Longest run of at least two zero groups; the first one wins a tie.
  std::size_t zero_start = 8;
  std::size_t zero_end = 8;
  for (std::size_t i = 0; i < 8; ++i) {
    std::size_t j = i;
    while (j < 8 && groups[j] == 0) {
      ++j;
    }
    if (j - i >= 2 && j - i > zero_end - zero_start) {
      zero_start = i;
      zero_end = j;
    }
  }
  std::string out;
  for (std::size_t i = 0; i < 8; ++i) {
    if (i == zero_start) {
      out += "::";
      i = zero_end - 1;
      continue;
    }
    if (i > 0 && out.back() != ':') {
      out += ':';
    }
    out += fmt::format("{:x}", groups[i]);
  }
  return out;
}

std::string format_address(const Address& address) {
  if (!address.ipv6) {
    return format_ipv4(address.bytes.data());
  }
  if (is_ipv4_mapped(address.bytes)) {
    return format_ipv4(address.bytes.data() + 12);
  }
  return format_ipv6(address.bytes);
}

}  // namespace

std::optional<std::string> canonical_ip(std::string_view text) {
  const std::optional<Address> address = parse_address(text);
  if (!address) {
    return std::nullopt;
  }
  return format_address(*address);
}

std::optional<Cidr> parse_cidr(std::string_view text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    return std::nullopt;
  }
  std::optional<Address> address = parse_address(text.substr(0, slash));
  if (!address) {
    return std::nullopt;
  }
  // Go's dtoi: one or more decimal digits (leading zeros allowed), nothing else.
  const std::string_view length_text = text.substr(slash + 1);
  if (length_text.empty()) {
    return std::nullopt;
  }
  constexpr int kDtoiLimit = 0xFFFFFF;  // dtoi gives up at this value
  int length = 0;
  for (const char c : length_text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    length = length * 10 + (c - '0');
    if (length >= kDtoiLimit) {
      return std::nullopt;
    }
  }
  const int max_length = address->ipv6 ? 128 : 32;
  if (length > max_length) {
    return std::nullopt;
  }
  for (int bit = length; bit < max_length; ++bit) {
    address->bytes[static_cast<std::size_t>(bit / 8)] &=
        static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
  }
  return Cidr{address->ipv6, format_address(*address), length};
}

}  // namespace kr::go
