#include "netns_socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <functional>
#include <system_error>

namespace kr::proxy::vmtest {

Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

Fd& Fd::operator=(Fd&& other) noexcept {
  std::swap(fd_, other.fd_);
  return *this;
}

std::string netns_path(const test::ScopedNetns& ns) { return "/var/run/netns/" + ns.name(); }

void in_netns(const test::ScopedNetns& ns, const std::function<void()>& fn) {
  Fd self(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
  Fd target(::open(netns_path(ns).c_str(), O_RDONLY | O_CLOEXEC));
  if (!self.valid() || !target.valid() || ::setns(target.get(), CLONE_NEWNET) != 0) {
    throw std::system_error(errno, std::generic_category(), "enter " + ns.name());
  }
  try {
    fn();
  } catch (...) {
    if (::setns(self.get(), CLONE_NEWNET) != 0) std::abort();
    throw;
  }
  if (::setns(self.get(), CLONE_NEWNET) != 0) std::abort();  // the thread must not stay there
}

namespace {

Fd socket_in(const test::ScopedNetns& ns, int family) {
  Fd fd;
  in_netns(ns, [&] { fd = Fd(::socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)); });
  if (!fd.valid()) throw std::system_error(errno, std::generic_category(), "socket");
  return fd;
}

}  // namespace

Fd listen_tcp(const test::ScopedNetns& ns, std::uint16_t port) {
  Fd fd = socket_in(ns, AF_INET6);
  int on = 1;
  int off = 0;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
  sockaddr_in6 addr{};
  addr.sin6_family = AF_INET6;
  addr.sin6_port = htons(port);
  addr.sin6_addr = in6addr_any;
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(fd.get(), 64) != 0) {
    throw std::system_error(errno, std::generic_category(), "listen in " + ns.name());
  }
  return fd;
}

Fd connect_tcp(const test::ScopedNetns& ns, const std::string& address, std::uint16_t port,
               std::chrono::milliseconds timeout) {
  sockaddr_storage storage{};
  socklen_t length = 0;
  const bool v6 = address.find(':') != std::string::npos;
  if (v6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&storage);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(port);
    if (::inet_pton(AF_INET6, address.c_str(), &a->sin6_addr) != 1) return Fd();
    length = sizeof(*a);
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&storage);
    a->sin_family = AF_INET;
    a->sin_port = htons(port);
    if (::inet_pton(AF_INET, address.c_str(), &a->sin_addr) != 1) return Fd();
    length = sizeof(*a);
  }
  Fd fd = socket_in(ns, v6 ? AF_INET6 : AF_INET);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&storage), length) != 0 &&
      errno != EINPROGRESS) {
    return Fd();
  }
  pollfd p{fd.get(), POLLOUT, 0};
  int error = 0;
  socklen_t error_length = sizeof(error);
  if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1 ||
      ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &error_length) != 0 || error != 0) {
    return Fd();
  }
  return fd;
}

std::optional<std::string> read_line(const Fd& fd, std::chrono::milliseconds timeout) {
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{fd.get(), POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) != 1) {
      return std::nullopt;
    }
    char c;
    const ssize_t n = ::read(fd.get(), &c, 1);
    if (n <= 0) return std::nullopt;
    if (c == '\n') return line;
    line += c;
  }
}

bool write_all(const Fd& fd, const std::string& data) {
  return ::send(fd.get(), data.data(), data.size(), MSG_NOSIGNAL) ==
         static_cast<ssize_t>(data.size());
}

}  // namespace kr::proxy::vmtest
