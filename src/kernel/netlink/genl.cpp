#include "kernel/netlink/genl.h"

#include <linux/genetlink.h>

#include "kernel/netlink/error.h"

namespace kr::netlink {

Message genl_request(const GenlFamily& family, std::uint8_t command, std::uint16_t flags,
                     std::string operation) {
  Message message(family.id, flags, std::move(operation));
  auto& header = message.put_header<genlmsghdr>();
  header.cmd = command;
  header.version = static_cast<std::uint8_t>(family.version);
  return message;
}

Attributes genl_attributes(const nlmsghdr* message, std::uint16_t max_type) {
  return Attributes::of_message(message, sizeof(genlmsghdr), max_type);
}

GenlFamily resolve_genl_family(Socket& generic_socket, const std::string& name) {
  GenlFamily controller{GENL_ID_CTRL, 1, CTRL_ATTR_MAX};
  auto request =
      genl_request(controller, CTRL_CMD_GETFAMILY, 0, "resolve generic netlink family " + name);
  request.put_string(CTRL_ATTR_FAMILY_NAME, name);
  GenlFamily family;
  generic_socket.query(request, [&](const nlmsghdr* reply) {
    auto attributes = genl_attributes(reply, CTRL_ATTR_MAX);
    family.id = attributes.u16(CTRL_ATTR_FAMILY_ID).value_or(0);
    family.version = attributes.u32(CTRL_ATTR_VERSION).value_or(0);
    family.max_attribute = attributes.u32(CTRL_ATTR_MAXATTR).value_or(0);
  });
  if (family.id == 0) throw NetlinkError(request.operation() + ": no id in reply", EPROTO);
  return family;
}

}  // namespace kr::netlink
