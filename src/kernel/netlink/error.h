// The one exception type of the netlink layer: names the operation that
// failed and carries the errno the kernel (or a system call) returned, plus
// the kernel's extended-ack message when it sent one.
#pragma once

#include <stdexcept>
#include <string>

namespace kr::netlink {

class NetlinkError : public std::runtime_error {
 public:
  // what() reads "<operation>: <strerror(error)>[ (<kernel message>)]", e.g.
  // "add route 10.0.0.0/24 table 77: File exists".
  NetlinkError(std::string operation, int error, std::string kernel_message = {});

  const std::string& operation() const { return operation_; }
  int error() const { return error_; }  // positive errno value
  const std::string& kernel_message() const { return kernel_message_; }

 private:
  std::string operation_;
  int error_;
  std::string kernel_message_;
};

// "<operation>: <strerror(error)>[ (<kernel message>)]" without throwing.
std::string describe_error(const std::string& operation, int error,
                           const std::string& kernel_message = {});

}  // namespace kr::netlink
