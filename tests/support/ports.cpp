#include "support/ports.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <system_error>

#include "support/temp_dir.h"
#include "support/wait.h"

namespace kr::test {
namespace {

// An IPv4 or IPv6 socket address for a numeric address string.
struct SockAddr {
  sockaddr_storage storage{};
  socklen_t length = 0;
  int family = AF_UNSPEC;
};

SockAddr make_addr(const std::string& address, int port) {
  SockAddr addr;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&addr.storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&addr.storage);
  if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = addr.family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    addr.length = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = addr.family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    addr.length = sizeof(sockaddr_in6);
  } else {
    throw std::system_error(EINVAL, std::generic_category(),
                            "not a numeric IP address: '" + address + "'");
  }
  return addr;
}

class Socket {
 public:
  Socket(int family, int type) : fd_(socket(family, type | SOCK_CLOEXEC, 0)) {
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "socket");
  }
  ~Socket() { close(fd_); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

int free_port(const std::string& address, int type) {
  SockAddr addr = make_addr(address, 0);
  Socket sock(addr.family, type);
  if (bind(sock.fd(), reinterpret_cast<sockaddr*>(&addr.storage), addr.length) != 0) {
    throw std::system_error(errno, std::generic_category(), "bind " + address + ":0");
  }
  SockAddr bound;
  bound.length = sizeof bound.storage;
  getsockname(sock.fd(), reinterpret_cast<sockaddr*>(&bound.storage), &bound.length);
  const auto& storage = bound.storage;
  return storage.ss_family == AF_INET
             ? ntohs(reinterpret_cast<const sockaddr_in*>(&storage)->sin_port)
             : ntohs(reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_port);
}

}  // namespace

int free_tcp_port(const std::string& address) { return free_port(address, SOCK_STREAM); }
int free_udp_port(const std::string& address) { return free_port(address, SOCK_DGRAM); }

std::optional<int> parse_port(const std::string& text) {
  const std::string line = text.substr(0, text.find('\n'));
  const size_t end = line.find_last_not_of(" \t\r");
  if (end == std::string::npos) return std::nullopt;
  int port = 0;
  const char* last = line.data() + end + 1;
  const auto [ptr, ec] = std::from_chars(line.data(), last, port);
  if (ec != std::errc() || ptr != last || port < 1 || port > 65535) return std::nullopt;
  return port;
}

std::optional<int> wait_for_port_file(const std::filesystem::path& path,
                                      std::chrono::milliseconds timeout) {
  std::optional<int> port;
  wait_until(
      [&] {
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) return false;
        port = parse_port(read_file(path));
        return port.has_value();
      },
      timeout);
  return port;
}

bool tcp_port_open(const std::string& address, int port) {
  SockAddr addr = make_addr(address, port);
  Socket sock(addr.family, SOCK_STREAM);
  return connect(sock.fd(), reinterpret_cast<sockaddr*>(&addr.storage), addr.length) == 0;
}

}  // namespace kr::test
