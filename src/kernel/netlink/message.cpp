#include "kernel/netlink/message.h"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>

#include <cstring>
#include <stdexcept>

namespace kr::netlink {

Message::Message(std::uint16_t type, std::uint16_t flags, std::string operation)
    : buffer_(kCapacity), operation_(std::move(operation)) {
  nlmsghdr* nlh = mnl_nlmsg_put_header(buffer_.data());
  nlh->nlmsg_type = type;
  nlh->nlmsg_flags = NLM_F_REQUEST | flags;
}

nlmsghdr* Message::header() { return reinterpret_cast<nlmsghdr*>(buffer_.data()); }
const nlmsghdr* Message::header() const {
  return reinterpret_cast<const nlmsghdr*>(buffer_.data());
}
void* Message::payload() { return mnl_nlmsg_get_payload(header()); }
std::size_t Message::size() const { return header()->nlmsg_len; }
std::span<const std::uint8_t> Message::bytes() const { return {buffer_.data(), size()}; }

void* Message::put_extra_header(std::size_t header_size) {
  if (size() + MNL_ALIGN(header_size) > kCapacity) {
    throw std::length_error(operation_ + ": request too long");
  }
  return mnl_nlmsg_put_extra_header(header(), header_size);
}

void Message::put_bytes(std::uint16_t type, std::span<const std::uint8_t> value) {
  if (!mnl_attr_put_check(header(), kCapacity, type, value.size(), value.data())) {
    throw std::length_error(operation_ + ": request too long");
  }
}

void Message::put_u8(std::uint16_t type, std::uint8_t value) { put_bytes(type, {&value, 1}); }

void Message::put_u16(std::uint16_t type, std::uint16_t value) {
  put_bytes(type, {reinterpret_cast<const std::uint8_t*>(&value), sizeof(value)});
}

void Message::put_u32(std::uint16_t type, std::uint32_t value) {
  put_bytes(type, {reinterpret_cast<const std::uint8_t*>(&value), sizeof(value)});
}

void Message::put_u64(std::uint16_t type, std::uint64_t value) {
  put_bytes(type, {reinterpret_cast<const std::uint8_t*>(&value), sizeof(value)});
}

void Message::put_be16(std::uint16_t type, std::uint16_t host_order_value) {
  put_u16(type, htons(host_order_value));
}

void Message::put_string(std::uint16_t type, std::string_view value) {
  std::string terminated(value);
  put_bytes(type, {reinterpret_cast<const std::uint8_t*>(terminated.c_str()), value.size() + 1});
}

void Message::put_flag(std::uint16_t type) { put_bytes(type, {}); }

void Message::put_address(std::uint16_t type, const IpAddress& address) {
  if (address.empty()) throw std::invalid_argument(operation_ + ": missing IP address");
  put_bytes(type, address.bytes());
}

Message::Nest Message::begin_nest(std::uint16_t type) {
  std::size_t offset = size();
  if (mnl_attr_nest_start_check(header(), kCapacity, type) == nullptr) {
    throw std::length_error(operation_ + ": request too long");
  }
  return Nest{offset};
}

void Message::end_nest(Nest nest) {
  mnl_attr_nest_end(header(), reinterpret_cast<nlattr*>(buffer_.data() + nest.offset));
}

namespace {

int store_attribute(const nlattr* attribute, void* data) {
  auto* table = static_cast<std::vector<const nlattr*>*>(data);
  std::uint16_t type = mnl_attr_get_type(attribute);
  if (type < table->size()) (*table)[type] = attribute;
  return MNL_CB_OK;
}

}  // namespace

Attributes Attributes::of_message(const nlmsghdr* message, std::size_t header_size,
                                  std::uint16_t max_type) {
  Attributes attributes;
  attributes.table_.assign(max_type + 1u, nullptr);
  if (message->nlmsg_len < mnl_nlmsg_size(MNL_ALIGN(header_size))) return attributes;
  // Walked here rather than with mnl_attr_parse(), which bounds the attributes by the
  // 4-byte-aligned nlmsg_len: an unaligned length at the end of a buffer would let the last
  // attribute reach up to 3 bytes past it. Here the bound is nlmsg_len itself.
  const auto* attribute =
      static_cast<const nlattr*>(mnl_nlmsg_get_payload_offset(message, MNL_ALIGN(header_size)));
  int remaining = static_cast<int>(message->nlmsg_len - mnl_nlmsg_size(MNL_ALIGN(header_size)));
  while (mnl_attr_ok(attribute, remaining)) {
    store_attribute(attribute, &attributes.table_);
    int step = static_cast<int>(MNL_ALIGN(attribute->nla_len));
    if (step >= remaining) break;
    remaining -= step;
    attribute = reinterpret_cast<const nlattr*>(reinterpret_cast<const char*>(attribute) + step);
  }
  return attributes;
}

Attributes Attributes::of_nest(const nlattr* nest, std::uint16_t max_type) {
  Attributes attributes;
  attributes.table_.assign(max_type + 1u, nullptr);
  if (nest == nullptr) return attributes;
  mnl_attr_parse_nested(nest, store_attribute, &attributes.table_);
  return attributes;
}

bool Attributes::has(std::uint16_t type) const {
  return type < table_.size() && table_[type] != nullptr;
}

std::span<const std::uint8_t> Attributes::bytes(std::uint16_t type) const {
  if (!has(type)) return {};
  const nlattr* attribute = table_[type];
  return {static_cast<const std::uint8_t*>(mnl_attr_get_payload(attribute)),
          mnl_attr_get_payload_len(attribute)};
}

namespace {

template <class T>
std::optional<T> fixed(std::span<const std::uint8_t> payload, bool present) {
  if (!present || payload.size() != sizeof(T)) return std::nullopt;
  T value;
  std::memcpy(&value, payload.data(), sizeof(T));
  return value;
}

}  // namespace

std::optional<std::uint8_t> Attributes::u8(std::uint16_t type) const {
  return fixed<std::uint8_t>(bytes(type), has(type));
}
std::optional<std::uint16_t> Attributes::u16(std::uint16_t type) const {
  return fixed<std::uint16_t>(bytes(type), has(type));
}
std::optional<std::uint32_t> Attributes::u32(std::uint16_t type) const {
  return fixed<std::uint32_t>(bytes(type), has(type));
}
std::optional<std::uint64_t> Attributes::u64(std::uint16_t type) const {
  return fixed<std::uint64_t>(bytes(type), has(type));
}

std::optional<std::uint16_t> Attributes::be16(std::uint16_t type) const {
  auto value = u16(type);
  if (!value) return std::nullopt;
  return ntohs(*value);
}

std::optional<std::string> Attributes::string(std::uint16_t type) const {
  if (!has(type)) return std::nullopt;
  auto payload = bytes(type);
  std::string text(payload.begin(), payload.end());
  if (auto nul = text.find('\0'); nul != std::string::npos) text.resize(nul);
  return text;
}

std::optional<IpAddress> Attributes::address(std::uint16_t type) const {
  if (!has(type)) return std::nullopt;
  return IpAddress::from_bytes(bytes(type));
}

std::optional<IpAddress> Attributes::address(std::uint16_t type, int family) const {
  auto payload = bytes(type);
  std::size_t width = family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
  if (!has(type) || width == 0 || payload.size() < width) return std::nullopt;
  return IpAddress::from_bytes(payload.first(width));
}

const nlattr* Attributes::nested(std::uint16_t type) const {
  return has(type) ? table_[type] : nullptr;
}

void for_each_message(std::span<const std::uint8_t> buffer,
                      const std::function<void(const nlmsghdr*)>& on_message) {
  int remaining = static_cast<int>(buffer.size());
  // mnl_nlmsg_ok/next only read; the casts match libmnl's non-const signatures.
  const auto* nlh = reinterpret_cast<const nlmsghdr*>(buffer.data());
  while (mnl_nlmsg_ok(nlh, remaining)) {
    on_message(nlh);
    nlh = mnl_nlmsg_next(nlh, &remaining);
  }
}

const void* family_header(const nlmsghdr* message, std::size_t header_size) {
  if (message->nlmsg_len < mnl_nlmsg_size(header_size)) return nullptr;
  return mnl_nlmsg_get_payload(message);
}

}  // namespace kr::netlink
