#include "kernel/netlink/ip.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <stdexcept>

namespace kr::netlink {

bool IpAddress::is_v4() const { return family_ == AF_INET; }
bool IpAddress::is_v6() const { return family_ == AF_INET6; }
std::size_t IpAddress::size() const { return is_v4() ? 4 : is_v6() ? 16 : 0; }

std::optional<IpAddress> IpAddress::from_bytes(std::span<const std::uint8_t> bytes) {
  IpAddress address;
  if (bytes.size() == 4) {
    address.family_ = AF_INET;
  } else if (bytes.size() == 16) {
    address.family_ = AF_INET6;
  } else {
    return std::nullopt;
  }
  std::memcpy(address.bytes_.data(), bytes.data(), bytes.size());
  return address;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  // inet_pton wants a NUL-terminated string; the longest IPv6 text is 45 characters.
  if (text.empty() || text.size() > INET6_ADDRSTRLEN) return std::nullopt;
  std::string copy(text);
  IpAddress address;
  if (inet_pton(AF_INET, copy.c_str(), address.bytes_.data()) == 1) {
    address.family_ = AF_INET;
  } else if (inet_pton(AF_INET6, copy.c_str(), address.bytes_.data()) == 1) {
    address.family_ = AF_INET6;
  } else {
    return std::nullopt;
  }
  return address;
}

IpAddress IpAddress::must_parse(std::string_view text) {
  auto address = parse(text);
  if (!address) throw std::invalid_argument("invalid IP address '" + std::string(text) + "'");
  return *address;
}

std::string IpAddress::to_string() const {
  if (empty()) return {};
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(family_, bytes_.data(), text, sizeof(text));
  return text;
}

std::optional<IpPrefix> IpPrefix::parse(std::string_view text) {
  auto slash = text.find('/');
  auto address = IpAddress::parse(text.substr(0, slash));
  if (!address) return std::nullopt;
  unsigned max_length = address->size() * 8;
  if (slash == std::string_view::npos) {
    return IpPrefix{*address, static_cast<std::uint8_t>(max_length)};
  }
  auto digits = text.substr(slash + 1);
  unsigned length = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
      length > max_length) {
    return std::nullopt;
  }
  return IpPrefix{*address, static_cast<std::uint8_t>(length)};
}

IpPrefix IpPrefix::must_parse(std::string_view text) {
  auto prefix = parse(text);
  if (!prefix) throw std::invalid_argument("invalid IP prefix '" + std::string(text) + "'");
  return *prefix;
}

IpPrefix IpPrefix::host(const IpAddress& address) {
  return IpPrefix{address, static_cast<std::uint8_t>(address.size() * 8)};
}

std::string IpPrefix::to_string() const {
  if (address.empty()) return {};
  return address.to_string() + "/" + std::to_string(length);
}

}  // namespace kr::netlink
