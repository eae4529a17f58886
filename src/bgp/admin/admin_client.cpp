#include "bgp/admin/admin_client.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/errno_text.h"

namespace kr::bgp::admin {
namespace {

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

std::string failure(const std::string& path, const char* what) {
  return "cannot reach the BGP speaker at " + path + ": " + what + ": " + kr::errno_text(errno);
}

}  // namespace

AdminReply admin_request(const std::string& path, const std::string& request, int timeout_ms) {
  AdminReply reply;
  sockaddr_un addr{};
  if (path.size() >= sizeof(addr.sun_path)) {
    reply.error = "admin socket path " + path + " is too long";
    return reply;
  }
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  Fd s{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  if (s.fd < 0) {
    reply.error = failure(path, "socket");
    return reply;
  }
  if (::connect(s.fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    reply.error = failure(path, "connect");
    return reply;
  }
  const std::string line = request + "\n";
  for (std::size_t sent = 0; sent < line.size();) {
    const ssize_t n = ::send(s.fd, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      reply.error = failure(path, "send");
      return reply;
    }
    sent += static_cast<std::size_t>(n);
  }
  char buf[65536];
  while (true) {
    pollfd p{s.fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, timeout_ms);
    if (ready == 0) {
      reply.error = "the BGP speaker at " + path + " did not answer";
      return reply;
    }
    if (ready < 0) {
      if (errno == EINTR) continue;
      reply.error = failure(path, "poll");
      return reply;
    }
    const ssize_t n = ::recv(s.fd, buf, sizeof(buf), 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      reply.error = failure(path, "recv");
      return reply;
    }
    if (n == 0) break;
    reply.body.append(buf, static_cast<std::size_t>(n));
  }
  while (!reply.body.empty() && reply.body.back() == '\n') reply.body.pop_back();
  if (reply.body.empty()) reply.error = "the BGP speaker at " + path + " closed without answering";
  return reply;
}

}  // namespace kr::bgp::admin
