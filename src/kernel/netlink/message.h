// Building netlink requests and reading netlink messages, on libmnl.
//
// Message: one request (nlmsghdr + family header + attributes) in its own
// buffer. Attributes: the attributes of one message or nested attribute,
// indexed by type, with typed getters that check the payload length, so a
// short or malformed attribute reads as "absent" instead of out of bounds.
// Only this file's .cpp and the layer's .cpp files touch libmnl.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/netlink/ip.h"

struct nlmsghdr;
struct nlattr;

namespace kr::netlink {

class Message {
 public:
  // Largest request; IPVS and rtnetlink requests are far smaller.
  static constexpr std::size_t kCapacity = 4096;

  // type: RTM_NEWROUTE, a generic netlink family id, ...; flags: NLM_F_* (NLM_F_REQUEST is
  // always set). operation names the request in errors ("add route 10.0.0.0/24 table 77").
  Message(std::uint16_t type, std::uint16_t flags, std::string operation);

  // Appends a zeroed struct and returns it for filling in: the family header (ifinfomsg, rtmsg,
  // genlmsghdr, ...) right after construction, or a struct some nests start with (the peer's
  // ifinfomsg inside VETH_INFO_PEER).
  template <class Header>
  Header& put_header() {
    return *static_cast<Header*>(put_extra_header(sizeof(Header)));
  }

  // Attribute writers; each throws std::length_error when the message is full.
  void put_u8(std::uint16_t type, std::uint8_t value);
  void put_u16(std::uint16_t type, std::uint16_t value);
  void put_u32(std::uint16_t type, std::uint32_t value);
  void put_u64(std::uint16_t type, std::uint64_t value);
  void put_be16(std::uint16_t type, std::uint16_t host_order_value);  // e.g. ports
  void put_string(std::uint16_t type, std::string_view value);        // NUL-terminated
  void put_bytes(std::uint16_t type, std::span<const std::uint8_t> value);
  void put_flag(std::uint16_t type);                               // zero-length attribute
  void put_address(std::uint16_t type, const IpAddress& address);  // 4 or 16 bytes

  // A nested attribute: begin_nest() returns a handle for end_nest().
  struct Nest {
    std::size_t offset;
  };
  Nest begin_nest(std::uint16_t type);
  void end_nest(Nest nest);

  const std::string& operation() const { return operation_; }
  nlmsghdr* header();
  // The family header put first (for adjusting it after construction).
  template <class Header>
  Header& family() {
    return *reinterpret_cast<Header*>(payload());
  }
  const nlmsghdr* header() const;
  std::size_t size() const;  // nlmsg_len
  std::span<const std::uint8_t> bytes() const;

 private:
  void* put_extra_header(std::size_t header_size);
  void* payload();

  std::vector<std::uint8_t> buffer_;
  std::string operation_;
};

class Attributes {
 public:
  // The attributes after the family header (header_size bytes) of a message. Types above
  // max_type are skipped. A truncated attribute ends parsing (what came before is kept).
  static Attributes of_message(const nlmsghdr* message, std::size_t header_size,
                               std::uint16_t max_type);
  // The attributes inside a nested attribute.
  static Attributes of_nest(const nlattr* nest, std::uint16_t max_type);

  bool has(std::uint16_t type) const;
  // Each getter gives nullopt (or an empty span) when the attribute is absent or its payload
  // has the wrong size.
  std::optional<std::uint8_t> u8(std::uint16_t type) const;
  std::optional<std::uint16_t> u16(std::uint16_t type) const;
  std::optional<std::uint32_t> u32(std::uint16_t type) const;
  std::optional<std::uint64_t> u64(std::uint16_t type) const;
  std::optional<std::uint16_t> be16(std::uint16_t type) const;  // converted to host order
  std::optional<std::string> string(std::uint16_t type) const;  // up to the first NUL
  std::span<const std::uint8_t> bytes(std::uint16_t type) const;
  std::optional<IpAddress> address(std::uint16_t type) const;  // 4 or 16 bytes
  // An address whose width comes from the message (IPVS pads IPv4 into 16 bytes).
  std::optional<IpAddress> address(std::uint16_t type, int family) const;
  const nlattr* nested(std::uint16_t type) const;  // nullptr when absent

 private:
  std::vector<const nlattr*> table_;
};

// Calls on_message for every complete message in a buffer of netlink messages (as a recv()
// returns them); stops at the first truncated one.
void for_each_message(std::span<const std::uint8_t> buffer,
                      const std::function<void(const nlmsghdr*)>& on_message);

// The payload of a message after its nlmsghdr (the family header), or nullptr when the message
// is too short to hold a header of header_size bytes.
const void* family_header(const nlmsghdr* message, std::size_t header_size);

template <class Header>
const Header* family_header(const nlmsghdr* message) {
  return static_cast<const Header*>(family_header(message, sizeof(Header)));
}

}  // namespace kr::netlink
