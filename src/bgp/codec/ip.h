// Addresses and prefixes as BGP carries them.
//
// Prefix4 (5 bytes) and Prefix6 (17 bytes) are the compact POD keys the RIB
// stores a million of; IpPrefix is the family-tagged form used at API edges
// (policy sets, logs, the routing controller).
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace kr::bgp {

// An IPv4 or IPv6 address, bytes in network order (IPv4 uses the first four).
struct IpAddress {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};

  static IpAddress v4_from_u32(uint32_t host_order);
  static IpAddress from_v4_bytes(const uint8_t* b);
  static IpAddress from_v6_bytes(const uint8_t* b);
  // Accepts dotted quad or RFC 4291 text; nullopt on anything else.
  static std::optional<IpAddress> parse(std::string_view text);

  uint32_t v4_u32() const;  // host order; only meaningful when !v6
  bool is_unspecified() const;
  std::size_t size() const { return v6 ? 16 : 4; }
  // The IPv4-mapped IPv6 form (::ffff:a.b.c.d) of an IPv4 address; v6 unchanged.
  IpAddress to_v6_mapped() const;
  std::string to_string() const;

  // clang-tidy 14 misreads the generated body of a defaulted <=> (llvm-project#53961).
  // NOLINTNEXTLINE(modernize-use-nullptr,readability-implicit-bool-conversion)
  auto operator<=>(const IpAddress&) const = default;
};

// IPv4 prefix, host bits always zero.
struct Prefix4 {
  std::array<uint8_t, 4> addr{};
  uint8_t len = 0;

  // Zeroes host bits; len must be <= 32.
  static Prefix4 make(const uint8_t* addr_bytes, uint8_t len);
  static std::optional<Prefix4> parse(std::string_view text);  // "a.b.c.d/len"
  std::string to_string() const;
  // clang-tidy 14 misreads the generated body of a defaulted <=> (llvm-project#53961).
  // NOLINTNEXTLINE(modernize-use-nullptr)
  auto operator<=>(const Prefix4&) const = default;
};

// IPv6 prefix, host bits always zero.
struct Prefix6 {
  std::array<uint8_t, 16> addr{};
  uint8_t len = 0;

  static Prefix6 make(const uint8_t* addr_bytes, uint8_t len);
  static std::optional<Prefix6> parse(std::string_view text);
  std::string to_string() const;
  // clang-tidy 14 misreads the generated body of a defaulted <=> (llvm-project#53961).
  // NOLINTNEXTLINE(modernize-use-nullptr)
  auto operator<=>(const Prefix6&) const = default;
};

static_assert(sizeof(Prefix4) == 5);
static_assert(sizeof(Prefix6) == 17);

// Family-tagged prefix for APIs that handle both families.
struct IpPrefix {
  bool v6 = false;
  uint8_t len = 0;
  std::array<uint8_t, 16> addr{};

  IpPrefix() = default;
  IpPrefix(const Prefix4& p);  // NOLINT(google-explicit-constructor): lossless
  IpPrefix(const Prefix6& p);  // NOLINT(google-explicit-constructor): lossless
  static std::optional<IpPrefix> parse(std::string_view text);
  // The host route (/32 or /128) of an address.
  static IpPrefix host(const IpAddress& a);

  uint8_t max_len() const { return v6 ? 128 : 32; }
  // True when `other` is this prefix or a more specific one inside it.
  bool contains(const IpPrefix& other) const;
  bool contains(const IpAddress& a) const { return contains(host(a)); }
  std::string to_string() const;
  // clang-tidy 14 misreads the generated body of a defaulted <=> (llvm-project#53961).
  // NOLINTNEXTLINE(modernize-use-nullptr,readability-implicit-bool-conversion)
  auto operator<=>(const IpPrefix&) const = default;
};

std::size_t hash_bytes(const uint8_t* data, std::size_t n, std::size_t seed = 0);

}  // namespace kr::bgp

template <>
struct std::hash<kr::bgp::Prefix4> {
  std::size_t operator()(const kr::bgp::Prefix4& p) const noexcept {
    uint64_t v = (uint64_t{p.addr[0]} << 32) | (uint64_t{p.addr[1]} << 24) |
                 (uint64_t{p.addr[2]} << 16) | (uint64_t{p.addr[3]} << 8) | p.len;
    return std::hash<uint64_t>{}(v * 0x9E3779B97F4A7C15ULL);
  }
};
template <>
struct std::hash<kr::bgp::Prefix6> {
  std::size_t operator()(const kr::bgp::Prefix6& p) const noexcept {
    return kr::bgp::hash_bytes(p.addr.data(), 16, p.len);
  }
};
template <>
struct std::hash<kr::bgp::IpAddress> {
  std::size_t operator()(const kr::bgp::IpAddress& a) const noexcept {
    return kr::bgp::hash_bytes(a.bytes.data(), 16, static_cast<std::size_t>(a.v6));
  }
};
template <>
struct std::hash<kr::bgp::IpPrefix> {
  std::size_t operator()(const kr::bgp::IpPrefix& p) const noexcept {
    return kr::bgp::hash_bytes(p.addr.data(), 16, (p.len << 1) | static_cast<int>(p.v6));
  }
};
