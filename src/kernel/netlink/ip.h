// IPv4/IPv6 addresses and prefixes as the kernel's netlink attributes carry
// them (network byte order, 4 or 16 bytes), with text conversion.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kr::netlink {

class IpAddress {
 public:
  IpAddress() = default;  // the unspecified "no address" value (family 0)
  // 4 bytes: IPv4, 16 bytes: IPv6; anything else gives nullopt.
  static std::optional<IpAddress> from_bytes(std::span<const std::uint8_t> bytes);
  // "10.0.0.1" or "fd00::1" (inet_pton syntax); nullopt when it is neither.
  static std::optional<IpAddress> parse(std::string_view text);
  // parse() that throws std::invalid_argument naming the text.
  static IpAddress must_parse(std::string_view text);

  int family() const { return family_; }  // AF_INET, AF_INET6 or 0
  bool is_v4() const;
  bool is_v6() const;
  bool empty() const { return family_ == 0; }
  std::size_t size() const;  // 4, 16 or 0
  const std::uint8_t* data() const { return bytes_.data(); }
  std::span<const std::uint8_t> bytes() const { return {bytes_.data(), size()}; }
  std::string to_string() const;  // "" for the empty address

  friend bool operator==(const IpAddress&, const IpAddress&) = default;
  // clang-tidy 14 misreads defaulted <=> (llvm-project#53961).
  // NOLINTNEXTLINE(modernize-use-nullptr)
  friend auto operator<=>(const IpAddress&, const IpAddress&) = default;

 private:
  int family_ = 0;
  std::array<std::uint8_t, 16> bytes_{};
};

struct IpPrefix {
  IpAddress address;
  std::uint8_t length = 0;

  // "10.0.0.0/24", "fd00::/64"; a bare address gets the full length (/32, /128).
  // nullopt for bad text or a length beyond the family's width.
  static std::optional<IpPrefix> parse(std::string_view text);
  static IpPrefix must_parse(std::string_view text);
  // The host prefix of an address: /32 or /128.
  static IpPrefix host(const IpAddress& address);
  std::string to_string() const;  // "10.0.0.0/24"; "" when empty

  friend bool operator==(const IpPrefix&, const IpPrefix&) = default;
  friend auto operator<=>(const IpPrefix&, const IpPrefix&) = default;
};

}  // namespace kr::netlink
