#include "kernel/netlink/address.h"

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>

#include <stdexcept>

namespace kr::netlink {
namespace {

Message address_request(std::uint16_t type, std::uint16_t flags, const std::string& verb,
                        const Address& address) {
  std::string operation = verb + " address " + address.prefix.to_string() + " on link #" +
                          std::to_string(address.index);
  if (address.prefix.address.empty() || address.index <= 0) {
    throw std::invalid_argument(operation + ": needs an address and an interface");
  }
  Message message(type, flags, operation);
  auto& header = message.put_header<ifaddrmsg>();
  header.ifa_family = static_cast<std::uint8_t>(address.prefix.address.family());
  header.ifa_prefixlen = address.prefix.length;
  header.ifa_scope = static_cast<std::uint8_t>(address.scope);
  header.ifa_index = static_cast<std::uint32_t>(address.index);
  // IFA_LOCAL is the interface's own address; IFA_ADDRESS the peer on point-to-point links,
  // otherwise the same address (what `ip addr add` sends).
  message.put_address(IFA_LOCAL, address.prefix.address);
  message.put_address(IFA_ADDRESS, address.prefix.address);
  return message;
}

}  // namespace

std::optional<Address> parse_address(const nlmsghdr* message) {
  const auto* header = family_header<ifaddrmsg>(message);
  if (header == nullptr || message->nlmsg_type != RTM_NEWADDR) return std::nullopt;
  auto attributes = Attributes::of_message(message, sizeof(ifaddrmsg), IFA_MAX);
  auto local = attributes.address(IFA_LOCAL);
  if (!local) local = attributes.address(IFA_ADDRESS);
  if (!local || local->family() != header->ifa_family) return std::nullopt;
  Address address;
  address.index = static_cast<int>(header->ifa_index);
  address.prefix = IpPrefix{*local, header->ifa_prefixlen};
  address.scope = static_cast<Scope>(header->ifa_scope);
  return address;
}

std::vector<Address> Addresses::list(int family, int index) {
  Message request(RTM_GETADDR, NLM_F_DUMP, "list addresses");
  request.put_header<ifaddrmsg>().ifa_family = static_cast<std::uint8_t>(family);
  std::vector<Address> addresses;
  socket_.query(request, [&](const nlmsghdr* reply) {
    auto address = parse_address(reply);
    if (!address) return;
    if (family != 0 && address->prefix.address.family() != family) return;
    if (index != 0 && address->index != index) return;
    addresses.push_back(*address);
  });
  return addresses;
}

void Addresses::add(const Address& address) {
  auto request = address_request(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, "add", address);
  socket_.execute(request);
}

void Addresses::remove(const Address& address) {
  auto request = address_request(RTM_DELADDR, 0, "delete", address);
  socket_.execute(request);
}

}  // namespace kr::netlink
