#include "controllers/netpol/cidr.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <charconv>

namespace kr::netpol {
namespace {

bool bit(const Cidr& c, int i) { return (c.bytes[i / 8] >> (7 - i % 8)) & 1; }

void clear_host_bits(Cidr& c) {
  for (int i = c.prefix; i < 128; ++i) {
    c.bytes[i / 8] &= static_cast<uint8_t>(~(1u << (7 - i % 8)));
  }
}

std::string address_text(const Cidr& c) {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(c.family == Family::kIPv4 ? AF_INET : AF_INET6, c.bytes.data(), buf, sizeof buf);
  return buf;
}

// The two halves of c (c.prefix < max).
std::array<Cidr, 2> halves(const Cidr& c) {
  Cidr low = c, high = c;
  low.prefix = high.prefix = c.prefix + 1;
  high.bytes[c.prefix / 8] |= static_cast<uint8_t>(1u << (7 - c.prefix % 8));
  return {low, high};
}

void subtract_into(const Cidr& base, const std::vector<Cidr>& excepts, std::vector<Cidr>& out) {
  bool overlapped = false;
  for (const Cidr& e : excepts) {
    if (e.contains(base)) {
      return;
    }
    overlapped = overlapped || base.overlaps(e);
  }
  if (!overlapped && base.prefix > 0) {
    out.push_back(base);
    return;
  }
  for (const Cidr& half : halves(base)) {
    subtract_into(half, excepts, out);
  }
}

}  // namespace

bool Cidr::contains(const Cidr& other) const {
  if (family != other.family || other.prefix < prefix) {
    return false;
  }
  for (int i = 0; i < prefix; ++i) {
    if (bit(*this, i) != bit(other, i)) {
      return false;
    }
  }
  return true;
}

bool Cidr::overlaps(const Cidr& other) const { return contains(other) || other.contains(*this); }

std::string Cidr::member_text() const {
  return prefix == max_prefix() ? address_text(*this)
                                : fmt::format("{}/{}", address_text(*this), prefix);
}

std::string Cidr::text() const { return fmt::format("{}/{}", address_text(*this), prefix); }

std::optional<Address> parse_address(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) {
    return std::nullopt;
  }
  const std::string s(text);
  std::array<uint8_t, 16> bytes{};
  char buf[INET6_ADDRSTRLEN] = {};
  if (s.find(':') == std::string::npos) {
    if (inet_pton(AF_INET, s.c_str(), bytes.data()) != 1) {
      return std::nullopt;
    }
    inet_ntop(AF_INET, bytes.data(), buf, sizeof buf);
    return Address{Family::kIPv4, buf};
  }
  if (inet_pton(AF_INET6, s.c_str(), bytes.data()) != 1) {
    return std::nullopt;
  }
  inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf);
  return Address{Family::kIPv6, buf};
}

std::optional<Cidr> parse_cidr(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos || slash + 1 == text.size()) {
    return std::nullopt;
  }
  const std::string address(text.substr(0, slash));
  const std::string_view length = text.substr(slash + 1);
  Cidr c;
  c.family = address.find(':') == std::string::npos ? Family::kIPv4 : Family::kIPv6;
  if (inet_pton(c.family == Family::kIPv4 ? AF_INET : AF_INET6, address.c_str(), c.bytes.data()) !=
      1) {
    return std::nullopt;
  }
  const auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), c.prefix);
  if (ec != std::errc() || end != length.data() + length.size() || c.prefix < 0 ||
      c.prefix > c.max_prefix() || length.size() > 3) {
    return std::nullopt;
  }
  clear_host_bits(c);
  return c;
}

std::vector<Cidr> subtract(const Cidr& base, const std::vector<Cidr>& excepts) {
  std::vector<Cidr> same_family;
  for (const Cidr& e : excepts) {
    if (e.family == base.family) {
      same_family.push_back(e);
    }
  }
  std::vector<Cidr> out;
  subtract_into(base, same_family, out);
  return out;
}

}  // namespace kr::netpol
