// Generic netlink: resolving a family name ("IPVS", "fou") to the id its
// requests are sent with (CTRL_CMD_GETFAMILY to the "nlctrl" controller).
#pragma once

#include <cstdint>
#include <string>

#include "kernel/netlink/message.h"
#include "kernel/netlink/socket.h"

namespace kr::netlink {

struct GenlFamily {
  std::uint16_t id = 0;
  std::uint32_t version = 0;
  std::uint32_t max_attribute = 0;
};

// Throws NetlinkError (ENOENT) when the kernel has no such family, e.g. because the module
// providing it is not loaded (fou.ko is not auto-loaded: `modprobe fou`).
GenlFamily resolve_genl_family(Socket& generic_socket, const std::string& name);

// A request for a generic netlink family: nlmsghdr + genlmsghdr{cmd, version}.
Message genl_request(const GenlFamily& family, std::uint8_t command, std::uint16_t flags,
                     std::string operation);

// The parsed payload of a generic netlink reply (after the genlmsghdr).
Attributes genl_attributes(const nlmsghdr* message, std::uint16_t max_type);

}  // namespace kr::netlink
