#include "netns_listener.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "base/errno_text.h"

namespace kr::apiserver_lite {
namespace {

// Runs in the helper thread. Returns the fd or -errno, with `step` naming the failing call.
int create_listener(const std::string& netns, const std::string& address, uint16_t port,
                    const char** step) {
  const std::string path = "/var/run/netns/" + netns;
  *step = "open";
  const int ns_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (ns_fd < 0) {
    return -errno;
  }
  *step = "setns";
  const int entered = ::setns(ns_fd, CLONE_NEWNET);
  const int setns_errno = errno;
  ::close(ns_fd);
  if (entered != 0) {
    return -setns_errno;
  }
  sockaddr_storage storage{};
  socklen_t length = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  *step = "parse address";
  if (::inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    length = sizeof *v4;
  } else if (::inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    length = sizeof *v6;
  } else {
    return -EINVAL;
  }
  *step = "socket";
  const int fd = ::socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return -errno;
  }
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  *step = "bind";
  if (::bind(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0) {
    const int e = errno;
    ::close(fd);
    return -e;
  }
  *step = "listen";
  if (::listen(fd, SOMAXCONN) != 0) {
    const int e = errno;
    ::close(fd);
    return -e;
  }
  return fd;
}

}  // namespace

int listen_in_netns(const std::string& netns, const std::string& address, uint16_t port) {
  if (netns.empty() || netns.find('/') != std::string::npos || netns == "." || netns == "..") {
    throw std::runtime_error("--listen-netns: invalid namespace name \"" + netns + "\"");
  }
  int result = -EINVAL;
  const char* step = "";
  std::thread helper([&] { result = create_listener(netns, address, port, &step); });
  helper.join();
  if (result < 0) {
    throw std::runtime_error("--listen-netns " + netns + ":" + address + ":" +
                             std::to_string(port) + ": " + step + ": " + kr::errno_text(-result));
  }
  return result;
}

}  // namespace kr::apiserver_lite
