#include "feeder.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "base/errno_text.h"
#include "bgp/codec/message.h"

namespace kr::bench {
namespace {

// A TCP socket in the named namespace: switch this thread in, create, switch
// back (a socket stays in the namespace it was created in).
int socket_in_netns(const std::string& netns, int family) {
  const int self = ::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  const int target = ::open(("/var/run/netns/" + netns).c_str(), O_RDONLY | O_CLOEXEC);
  if (self < 0 || target < 0 || setns(target, CLONE_NEWNET) != 0) {
    throw std::runtime_error("entering network namespace " + netns + ": " + kr::errno_text(errno));
  }
  const int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (setns(self, CLONE_NEWNET) != 0) throw std::runtime_error("leaving network namespace");
  ::close(self);
  ::close(target);
  return fd;
}

sockaddr_in to_sockaddr(const bgp::IpAddress& a, uint16_t port) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  std::memcpy(&sa.sin_addr, a.bytes.data(), 4);
  return sa;
}

// Reads one whole message; false on EOF or error.
bool read_message(int fd, bgp::Bytes& out) {
  out.resize(bgp::kHeaderSize);
  auto read_n = [&](uint8_t* p, std::size_t n) {
    while (n > 0) {
      const ssize_t r = ::recv(fd, p, n, 0);
      if (r <= 0) {
        if (r < 0 && errno == EINTR) continue;
        return false;
      }
      p += r;
      n -= static_cast<std::size_t>(r);
    }
    return true;
  };
  if (!read_n(out.data(), bgp::kHeaderSize)) return false;
  const std::size_t len = (std::size_t{out[16]} << 8) | out[17];
  if (len < bgp::kHeaderSize) return false;
  out.resize(len);
  return read_n(out.data() + bgp::kHeaderSize, len - bgp::kHeaderSize);
}

}  // namespace

Feeder::Feeder(std::string netns, bgp::IpAddress local, bgp::IpAddress remote, uint32_t local_as)
    : netns_(std::move(netns)), local_(local), remote_(remote), local_as_(local_as) {}

Feeder::~Feeder() {
  stop_ = true;
  if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
  if (background_.joinable()) background_.join();
  if (fd_ >= 0) ::close(fd_);
}

std::string Feeder::establish(std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    fd_ = socket_in_netns(netns_, AF_INET);
    const sockaddr_in src = to_sockaddr(local_, 0);
    const sockaddr_in dst = to_sockaddr(remote_, 179);
    if (::bind(fd_, reinterpret_cast<const sockaddr*>(&src), sizeof(src)) == 0 &&
        ::connect(fd_, reinterpret_cast<const sockaddr*>(&dst), sizeof(dst)) == 0) {
      break;
    }
    ::close(fd_);
    fd_ = -1;
    if (std::chrono::steady_clock::now() > deadline) return "speaker never accepted a connection";
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  bgp::OpenMessage open;
  open.set_asn(local_as_);
  open.hold_time = 180;
  open.bgp_id = local_.v4_u32();
  open.capabilities.route_refresh = true;
  open.capabilities.multiprotocol = {bgp::kIpv4Unicast};
  const bgp::Bytes o = bgp::encode_open(open);
  if (!write_all(o.data(), o.size())) return "sending OPEN failed";
  bgp::Bytes msg;
  bool got_open = false;
  while (true) {
    if (!read_message(fd_, msg)) return "the speaker closed the session during the OPEN exchange";
    const auto type = static_cast<bgp::MessageType>(msg[18]);
    if (type == bgp::MessageType::kOpen) {
      got_open = true;
      const bgp::Bytes ka = bgp::encode_keepalive();
      if (!write_all(ka.data(), ka.size())) return "sending KEEPALIVE failed";
    } else if (type == bgp::MessageType::kKeepalive && got_open) {
      break;
    } else if (type == bgp::MessageType::kNotification) {
      return "the speaker sent a NOTIFICATION: " +
             bgp::decode_notification_body(bgp::ByteSpan(msg).subspan(bgp::kHeaderSize)).describe();
    }
  }
  background_ = std::thread([this] { drain_and_keepalive(); });
  return "";
}

bool Feeder::write_all(const uint8_t* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd_, data, size, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

void Feeder::send(const Feed& feed) {
  // Whole messages per lock, so a keepalive never lands inside an UPDATE.
  for (const auto& u : feed.updates) {
    std::lock_guard lock(write_mu_);
    if (!write_all(u.data(), u.size())) return;
  }
}

void Feeder::drain_and_keepalive() {
  uint8_t buf[65536];
  auto next_keepalive = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!stop_) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 500) > 0) {
      const ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) return;
    }
    if (std::chrono::steady_clock::now() >= next_keepalive) {
      const bgp::Bytes ka = bgp::encode_keepalive();
      std::lock_guard lock(write_mu_);
      if (!write_all(ka.data(), ka.size())) return;
      next_keepalive += std::chrono::seconds(20);
    }
  }
}

}  // namespace kr::bench
