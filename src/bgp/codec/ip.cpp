#include "bgp/codec/ip.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace kr::bgp {
namespace {

// Clears every bit at or after `len` in `bytes` (of `n` bytes).
void mask_host_bits(uint8_t* bytes, std::size_t n, unsigned len) {
  for (std::size_t i = 0; i < n; ++i) {
    unsigned bit = static_cast<unsigned>(i) * 8;
    if (bit >= len) {
      bytes[i] = 0;
    } else if (len - bit < 8) {
      bytes[i] &= static_cast<uint8_t>(0xFF << (8 - (len - bit)));
    }
  }
}

// Splits "addr/len"; nullopt unless len is a plain decimal within max.
std::optional<std::pair<std::string_view, uint8_t>> split_prefix(std::string_view text,
                                                                 unsigned max) {
  auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view len_text = text.substr(slash + 1);
  unsigned len = 0;
  auto [end, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
  if (ec != std::errc{} || end != len_text.data() + len_text.size() || len_text.empty() ||
      len > max) {
    return std::nullopt;
  }
  return std::pair{text.substr(0, slash), static_cast<uint8_t>(len)};
}

}  // namespace

std::size_t hash_bytes(const uint8_t* data, std::size_t n, std::size_t seed) {
  // FNV-1a; keys are short and this is not exposed to hash flooding from
  // peers in a way a keyed hash would fix (prefix sets are bounded by RIB size).
  uint64_t h = 0xcbf29ce484222325ULL ^ seed;
  for (std::size_t i = 0; i < n; ++i) {
    h ^= data[i];
    h *= 0x100000001b3ULL;
  }
  return static_cast<std::size_t>(h);
}

IpAddress IpAddress::v4_from_u32(uint32_t host_order) {
  IpAddress a;
  a.bytes[0] = static_cast<uint8_t>(host_order >> 24);
  a.bytes[1] = static_cast<uint8_t>(host_order >> 16);
  a.bytes[2] = static_cast<uint8_t>(host_order >> 8);
  a.bytes[3] = static_cast<uint8_t>(host_order);
  return a;
}

IpAddress IpAddress::from_v4_bytes(const uint8_t* b) {
  IpAddress a;
  std::memcpy(a.bytes.data(), b, 4);
  return a;
}

IpAddress IpAddress::from_v6_bytes(const uint8_t* b) {
  IpAddress a;
  a.v6 = true;
  std::memcpy(a.bytes.data(), b, 16);
  return a;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char buf[INET6_ADDRSTRLEN] = {};
  std::memcpy(buf, text.data(), text.size());
  IpAddress a;
  if (inet_pton(AF_INET, buf, a.bytes.data()) == 1) return a;
  if (inet_pton(AF_INET6, buf, a.bytes.data()) == 1) {
    a.v6 = true;
    return a;
  }
  return std::nullopt;
}

uint32_t IpAddress::v4_u32() const {
  return (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) | (uint32_t{bytes[2]} << 8) |
         bytes[3];
}

bool IpAddress::is_unspecified() const {
  for (std::size_t i = 0; i < size(); ++i) {
    if (bytes[i] != 0) return false;
  }
  return true;
}

IpAddress IpAddress::to_v6_mapped() const {
  if (v6) return *this;
  IpAddress m;
  m.v6 = true;
  m.bytes[10] = 0xFF;
  m.bytes[11] = 0xFF;
  std::memcpy(m.bytes.data() + 12, bytes.data(), 4);
  return m;
}

std::string IpAddress::to_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof(buf));
  return buf;
}

Prefix4 Prefix4::make(const uint8_t* addr_bytes, uint8_t len) {
  Prefix4 p;
  std::memcpy(p.addr.data(), addr_bytes, 4);
  p.len = len;
  mask_host_bits(p.addr.data(), 4, len);
  return p;
}

std::optional<Prefix4> Prefix4::parse(std::string_view text) {
  auto parts = split_prefix(text, 32);
  if (!parts) return std::nullopt;
  auto a = IpAddress::parse(parts->first);
  if (!a || a->v6) return std::nullopt;
  return make(a->bytes.data(), parts->second);
}

std::string Prefix4::to_string() const {
  return IpAddress::from_v4_bytes(addr.data()).to_string() + "/" + std::to_string(len);
}

Prefix6 Prefix6::make(const uint8_t* addr_bytes, uint8_t len) {
  Prefix6 p;
  std::memcpy(p.addr.data(), addr_bytes, 16);
  p.len = len;
  mask_host_bits(p.addr.data(), 16, len);
  return p;
}

std::optional<Prefix6> Prefix6::parse(std::string_view text) {
  auto parts = split_prefix(text, 128);
  if (!parts) return std::nullopt;
  auto a = IpAddress::parse(parts->first);
  if (!a || !a->v6) return std::nullopt;
  return make(a->bytes.data(), parts->second);
}

std::string Prefix6::to_string() const {
  return IpAddress::from_v6_bytes(addr.data()).to_string() + "/" + std::to_string(len);
}

IpPrefix::IpPrefix(const Prefix4& p) : len(p.len) { std::memcpy(addr.data(), p.addr.data(), 4); }

IpPrefix::IpPrefix(const Prefix6& p) : v6(true), len(p.len), addr(p.addr) {}

std::optional<IpPrefix> IpPrefix::parse(std::string_view text) {
  if (auto p4 = Prefix4::parse(text)) return IpPrefix(*p4);
  if (auto p6 = Prefix6::parse(text)) return IpPrefix(*p6);
  return std::nullopt;
}

IpPrefix IpPrefix::host(const IpAddress& a) {
  IpPrefix p;
  p.v6 = a.v6;
  p.len = a.v6 ? 128 : 32;
  p.addr = a.bytes;
  return p;
}

bool IpPrefix::contains(const IpPrefix& other) const {
  if (other.v6 != v6 || other.len < len) return false;
  std::array<uint8_t, 16> masked = other.addr;
  mask_host_bits(masked.data(), 16, len);
  return masked == addr;
}

std::string IpPrefix::to_string() const {
  IpAddress a;
  a.v6 = v6;
  a.bytes = addr;
  return a.to_string() + "/" + std::to_string(len);
}

}  // namespace kr::bgp
