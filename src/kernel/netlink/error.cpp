#include "kernel/netlink/error.h"

#include <cstring>

#include "base/errno_text.h"

namespace kr::netlink {

std::string describe_error(const std::string& operation, int error,
                           const std::string& kernel_message) {
  std::string text = operation + ": " + kr::errno_text(error);
  if (!kernel_message.empty()) text += " (" + kernel_message + ")";
  return text;
}

NetlinkError::NetlinkError(std::string operation, int error, std::string kernel_message)
    : std::runtime_error(describe_error(operation, error, kernel_message)),
      operation_(std::move(operation)),
      error_(error),
      kernel_message_(std::move(kernel_message)) {}

}  // namespace kr::netlink
