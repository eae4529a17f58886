#include "controllers/proxy/cidr.h"

#include <algorithm>
#include <charconv>

#include "fmt/format.h"

namespace kr::proxy {

std::string_view family_name(Family family) { return family == Family::kIPv4 ? "IPv4" : "IPv6"; }

bool Cidr::contains(const IpAddress& address) const {
  if (address.family() != network.family()) {
    return false;
  }
  const auto* a = address.data();
  const auto* n = network.data();
  const unsigned full_bytes = length / 8;
  for (unsigned i = 0; i < full_bytes; ++i) {
    if (a[i] != n[i]) {
      return false;
    }
  }
  const unsigned rest = length % 8;
  if (rest == 0) {
    return true;
  }
  const auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
  return (a[full_bytes] & mask) == n[full_bytes];
}

std::string Cidr::to_string() const { return fmt::format("{}/{}", network.to_string(), length); }

std::optional<Cidr> Cidr::parse(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) {
    return std::nullopt;
  }
  const auto address = IpAddress::parse(text.substr(0, slash));
  const auto digits = text.substr(slash + 1);
  unsigned length = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
  if (!address || digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
      length > address->size() * 8) {
    return std::nullopt;
  }
  auto bytes = std::vector<std::uint8_t>(address->bytes().begin(), address->bytes().end());
  for (unsigned bit = length; bit < bytes.size() * 8; ++bit) {
    bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
  }
  return Cidr{*IpAddress::from_bytes(bytes), static_cast<std::uint8_t>(length)};
}

bool any_contains(std::span<const Cidr> ranges, const IpAddress& address) {
  return std::ranges::any_of(ranges,
                             [&address](const Cidr& range) { return range.contains(address); });
}

std::optional<std::vector<Cidr>> parse_cidr_list(std::span<const std::string> texts,
                                                 std::string_view flag, std::string* error) {
  std::vector<Cidr> out;
  for (const std::string& text : texts) {
    auto cidr = Cidr::parse(text);
    if (!cidr) {
      *error = fmt::format("--{}: invalid CIDR \"{}\"", flag, text);
      return std::nullopt;
    }
    out.push_back(*cidr);
  }
  return out;
}

}  // namespace kr::proxy
