#include "kernel/netlink/fou.h"

#include <linux/fou.h>
#include <linux/netlink.h>
#include <netinet/in.h>

#include <stdexcept>

namespace kr::netlink {
namespace {

Message port_request(const GenlFamily& family, std::uint8_t command, const std::string& verb,
                     const FouPort& port) {
  std::string operation = verb + " fou port " + std::to_string(port.port);
  if (port.port == 0 || (port.family != AF_INET && port.family != AF_INET6)) {
    throw std::invalid_argument(operation + ": needs a port and family AF_INET or AF_INET6");
  }
  Message message = genl_request(family, command, 0, operation);
  message.put_be16(FOU_ATTR_PORT, port.port);
  message.put_u8(FOU_ATTR_AF, static_cast<std::uint8_t>(port.family));
  message.put_u8(FOU_ATTR_TYPE, static_cast<std::uint8_t>(port.encap));
  if (port.encap == FouEncap::kDirect) message.put_u8(FOU_ATTR_IPPROTO, port.ipproto);
  return message;
}

}  // namespace

Fou::Fou(Socket& generic_socket)
    : socket_(generic_socket), family_(resolve_genl_family(generic_socket, FOU_GENL_NAME)) {}

void Fou::add(const FouPort& port) {
  auto request = port_request(family_, FOU_CMD_ADD, "add", port);
  socket_.execute(request);
}

void Fou::remove(const FouPort& port) {
  auto request = port_request(family_, FOU_CMD_DEL, "delete", port);
  socket_.execute(request);
}

std::optional<FouPort> parse_fou_port(const nlmsghdr* message) {
  auto attributes = genl_attributes(message, FOU_ATTR_MAX);
  FouPort port;
  port.port = attributes.be16(FOU_ATTR_PORT).value_or(0);
  port.family = attributes.u8(FOU_ATTR_AF).value_or(0);
  port.encap = static_cast<FouEncap>(attributes.u8(FOU_ATTR_TYPE).value_or(0));
  port.ipproto = attributes.u8(FOU_ATTR_IPPROTO).value_or(0);
  if (port.encap == FouEncap::kGue) port.ipproto = 0;
  if (port.port == 0) return std::nullopt;
  return port;
}

std::vector<FouPort> Fou::list() {
  auto request = genl_request(family_, FOU_CMD_GET, NLM_F_DUMP, "list fou ports");
  std::vector<FouPort> ports;
  socket_.query(request, [&](const nlmsghdr* reply) {
    if (auto port = parse_fou_port(reply)) ports.push_back(*port);
  });
  return ports;
}

}  // namespace kr::netlink
