// netpol_probe: the traffic end of the firewall integration tests, run inside pod namespaces.
//
//   netpol_probe serve PORT...        TCP echo and UDP echo on every port (IPv4 and IPv6), and
//                                     raw SCTP sockets that print "sctp <source> <port>" for
//                                     every SCTP packet delivered (this kernel has no SCTP
//                                     stack, so an INIT reaching the pod is the observable).
//                                     Prints "ready" once listening.
//   netpol_probe probe TIMEOUT_MS T... T = tcp|udp|sctp:ADDRESS:PORT (IPv6 in brackets); all at
//                                     once; prints "T ok|refused|timeout|error|sent" per target.
//   netpol_probe hold ADDRESS PORT INTERVAL_MS   one TCP connection; prints "ok N" after every
//                                     echoed ping, "fail <reason>" and exits when it breaks.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kSctp = 132;

uint32_t crc32c(const uint8_t* data, size_t n) {
  uint32_t crc = 0xffffffff;
  for (size_t i = 0; i < n; ++i) {
    crc ^= data[i];
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ ((crc & 1) ? 0x82F63B78 : 0);
  }
  return crc ^ 0xffffffff;
}

// An SCTP INIT (RFC 9260 §3.3.2): conntrack only starts tracking an association with one.
std::vector<uint8_t> sctp_init(uint16_t sport, uint16_t dport) {
  std::vector<uint8_t> p(32, 0);
  const auto put16 = [&](size_t at, uint16_t v) { p[at] = v >> 8, p[at + 1] = v & 0xff; };
  const auto put32 = [&](size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) p[at + i] = static_cast<uint8_t>(v >> (24 - 8 * i));
  };
  put16(0, sport);
  put16(2, dport);
  p[12] = 1;                     // chunk type INIT
  put16(14, 20);                 // chunk length
  put32(16, 0x1234567 + sport);  // initiate tag
  put32(20, 65535);              // a_rwnd
  put16(24, 10);                 // outbound streams
  put16(26, 10);                 // inbound streams
  put32(28, 1);                  // initial TSN
  const uint32_t c = crc32c(p.data(), p.size());
  std::memcpy(&p[8], &c, 4);  // little-endian on the wire, as RFC 9260 Appendix A prescribes
  return p;
}

struct Target {
  std::string text;
  std::string proto;
  sockaddr_storage addr{};
  socklen_t len = 0;
};

bool parse_target(const std::string& text, Target& t) {
  t.text = text;
  const size_t c1 = text.find(':');
  const size_t c2 = text.rfind(':');
  if (c1 == std::string::npos || c2 == c1) return false;
  t.proto = text.substr(0, c1);
  std::string host = text.substr(c1 + 1, c2 - c1 - 1);
  const int port = std::atoi(text.c_str() + c2 + 1);
  if (host.size() > 2 && host.front() == '[') {
    host = host.substr(1, host.size() - 2);
    auto* a = reinterpret_cast<sockaddr_in6*>(&t.addr);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(static_cast<uint16_t>(port));
    t.len = sizeof(sockaddr_in6);
    return inet_pton(AF_INET6, host.c_str(), &a->sin6_addr) == 1;
  }
  auto* a = reinterpret_cast<sockaddr_in*>(&t.addr);
  a->sin_family = AF_INET;
  a->sin_port = htons(static_cast<uint16_t>(port));
  t.len = sizeof(sockaddr_in);
  return inet_pton(AF_INET, host.c_str(), &a->sin_addr) == 1;
}

uint16_t port_of(const sockaddr_storage& s) {
  return ntohs(s.ss_family == AF_INET ? reinterpret_cast<const sockaddr_in&>(s).sin_port
                                      : reinterpret_cast<const sockaddr_in6&>(s).sin6_port);
}

std::string address_text(const sockaddr_storage& s) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (s.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(s).sin_addr, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(s).sin6_addr, buf, sizeof buf);
  }
  return buf;
}

int dual_stack_socket(int type, int port) {
  const int fd = socket(AF_INET6, type | SOCK_NONBLOCK, 0);
  const int zero = 0, one = 1;
  setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  a.sin6_port = htons(static_cast<uint16_t>(port));
  a.sin6_addr = in6addr_any;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      (type == SOCK_STREAM && listen(fd, 128) != 0)) {
    std::perror("bind");
    std::exit(2);
  }
  return fd;
}

int serve(const std::vector<int>& ports) {
  std::vector<pollfd> fds;
  std::vector<char> kind;  // 'l' listener, 'u' udp, 's' sctp4, 'S' sctp6, 'c' connection
  for (const int port : ports) {
    fds.push_back({dual_stack_socket(SOCK_STREAM, port), POLLIN, 0});
    kind.push_back('l');
    fds.push_back({dual_stack_socket(SOCK_DGRAM, port), POLLIN, 0});
    kind.push_back('u');
  }
  fds.push_back({socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK, kSctp), POLLIN, 0});
  kind.push_back('s');
  fds.push_back({socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK, kSctp), POLLIN, 0});
  kind.push_back('S');
  std::printf("ready\n");
  std::fflush(stdout);
  char buf[4096];
  while (true) {
    if (poll(fds.data(), fds.size(), -1) < 0) continue;
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      const int fd = fds[i].fd;
      sockaddr_storage from{};
      socklen_t len = sizeof from;
      if (kind[i] == 'l') {
        const int c = accept4(fd, nullptr, nullptr, SOCK_NONBLOCK);
        if (c >= 0) {
          fds.push_back({c, POLLIN, 0});
          kind.push_back('c');
        }
      } else if (kind[i] == 'u') {
        const ssize_t n =
            recvfrom(fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
        if (n > 0) sendto(fd, buf, n, 0, reinterpret_cast<sockaddr*>(&from), len);
      } else if (kind[i] == 's' || kind[i] == 'S') {
        const ssize_t n =
            recvfrom(fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
        // IPv4 raw sockets see the IP header, IPv6 ones do not.
        const size_t skip = kind[i] == 's' && n > 0 ? (buf[0] & 0x0f) * 4 : 0;
        if (n >= static_cast<ssize_t>(skip + 4)) {
          const int dport =
              (static_cast<uint8_t>(buf[skip + 2]) << 8) | static_cast<uint8_t>(buf[skip + 3]);
          std::printf("sctp %s %d\n", address_text(from).c_str(), dport);
          std::fflush(stdout);
        }
      } else {
        const ssize_t n = read(fd, buf, sizeof buf);
        if (n > 0) {
          (void)!write(fd, buf, n);
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
          close(fd);
          fds[i].fd = -1;  // poll ignores negative descriptors
        }
      }
    }
  }
}

int probe(int timeout_ms, const std::vector<std::string>& texts) {
  std::vector<Target> targets(texts.size());
  std::vector<int> fds(texts.size(), -1);
  std::vector<std::string> result(texts.size());
  std::vector<long> elapsed(texts.size(), -1);
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < texts.size(); ++i) {
    Target& t = targets[i];
    if (!parse_target(texts[i], t)) {
      result[i] = "error";
      continue;
    }
    if (t.proto == "sctp") {
      const int fd = socket(t.addr.ss_family, SOCK_RAW, kSctp);
      const auto packet = sctp_init(static_cast<uint16_t>(20000 + i), port_of(t.addr));
      auto dest = t.addr;
      reinterpret_cast<sockaddr_in&>(dest).sin_port = 0;  // raw sockets take no port
      result[i] = sendto(fd, packet.data(), packet.size(), 0, reinterpret_cast<sockaddr*>(&dest),
                         t.len) == static_cast<ssize_t>(packet.size())
                      ? "sent"
                      : "error";
      close(fd);
      continue;
    }
    const int fd =
        socket(t.addr.ss_family, (t.proto == "tcp" ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK, 0);
    fds[i] = fd;
    if (connect(fd, reinterpret_cast<sockaddr*>(&t.addr), t.len) != 0 && errno != EINPROGRESS) {
      result[i] = errno == ECONNREFUSED ? "refused" : "error";
      continue;
    }
    if (t.proto == "udp") (void)!send(fd, "probe", 5, 0);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    std::vector<pollfd> p;
    std::vector<size_t> which;
    for (size_t i = 0; i < targets.size(); ++i) {
      if (result[i].empty()) {
        p.push_back({fds[i], static_cast<short>(targets[i].proto == "tcp" ? POLLOUT : POLLIN), 0});
        which.push_back(i);
      }
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (p.empty() || left <= 0) break;
    poll(p.data(), p.size(), static_cast<int>(left));
    for (size_t k = 0; k < p.size(); ++k) {
      if (p[k].revents == 0) continue;
      const size_t i = which[k];
      int err = 0;
      socklen_t len = sizeof err;
      getsockopt(fds[i], SOL_SOCKET, SO_ERROR, &err, &len);
      if (targets[i].proto == "udp" && err == 0) {
        char buf[16];
        err = recv(fds[i], buf, sizeof buf, 0) > 0 ? 0 : errno;
      }
      result[i] = err == 0 ? "ok" : err == ECONNREFUSED ? "refused" : "error";
      elapsed[i] = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - start)
                       .count();
    }
  }
  for (size_t i = 0; i < texts.size(); ++i) {
    std::printf("%s %s %ldms\n", texts[i].c_str(),
                result[i].empty() ? "timeout" : result[i].c_str(), elapsed[i]);
    if (fds[i] >= 0) close(fds[i]);
  }
  return 0;
}

int hold(const std::string& address, int port, int interval_ms) {
  Target t;
  if (!parse_target("tcp:" + address + ":" + std::to_string(port), t)) return 2;
  const int fd = socket(t.addr.ss_family, SOCK_STREAM, 0);
  if (connect(fd, reinterpret_cast<sockaddr*>(&t.addr), t.len) != 0) {
    std::printf("fail connect %s\n", std::strerror(errno));
    return 1;
  }
  timeval tv{2, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  for (int n = 1;; ++n) {
    char buf[16];
    if (send(fd, "ping\n", 5, MSG_NOSIGNAL) != 5 || recv(fd, buf, sizeof buf, 0) <= 0) {
      std::printf("fail %s\n", std::strerror(errno));
      return 1;
    }
    std::printf("ok %d\n", n);
    std::fflush(stdout);
    std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms));
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() >= 2 && args[0] == "serve") {
    std::vector<int> ports;
    for (size_t i = 1; i < args.size(); ++i) ports.push_back(std::atoi(args[i].c_str()));
    return serve(ports);
  }
  if (args.size() >= 2 && args[0] == "probe") {
    return probe(std::atoi(args[1].c_str()), {args.begin() + 2, args.end()});
  }
  if (args.size() == 4 && args[0] == "hold") {
    return hold(args[1], std::atoi(args[2].c_str()), std::atoi(args[3].c_str()));
  }
  std::fprintf(stderr,
               "usage: netpol_probe serve PORT... | probe TIMEOUT_MS TARGET... | hold ADDRESS PORT "
               "INTERVAL_MS\n");
  return 2;
}
