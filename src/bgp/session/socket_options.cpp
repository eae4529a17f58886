#include "bgp/session/socket_options.h"

#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "base/errno_text.h"

namespace kr::bgp::session {

std::string set_tcp_md5_key(int fd, const IpAddress& peer, std::string_view key) {
  if (key.size() > kMaxMd5KeyLength) {
    return fmt::format("TCP MD5 key for {} is {} bytes, the kernel allows at most {}",
                       peer.to_string(), key.size(), kMaxMd5KeyLength);
  }
  tcp_md5sig sig{};
  if (peer.v6) {
    auto* sa = reinterpret_cast<sockaddr_in6*>(&sig.tcpm_addr);
    sa->sin6_family = AF_INET6;
    std::memcpy(&sa->sin6_addr, peer.bytes.data(), 16);
  } else {
    auto* sa = reinterpret_cast<sockaddr_in*>(&sig.tcpm_addr);
    sa->sin_family = AF_INET;
    std::memcpy(&sa->sin_addr, peer.bytes.data(), 4);
  }
  sig.tcpm_keylen = static_cast<uint16_t>(key.size());
  std::memcpy(sig.tcpm_key, key.data(), key.size());
  if (setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &sig, sizeof(sig)) != 0) {
    // Removing a key that was never installed is not an error worth reporting.
    if (key.empty() && errno == ENOENT) return "";
    return fmt::format("setting the TCP MD5 key for {}: {}", peer.to_string(),
                       kr::errno_text(errno));
  }
  return "";
}

std::string set_ttl(int fd, bool v6, int ttl) {
  const int rc = v6 ? setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl))
                    : setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
  if (rc != 0) return fmt::format("setting TTL {}: {}", ttl, kr::errno_text(errno));
  return "";
}

}  // namespace kr::bgp::session
