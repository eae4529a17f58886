// Per-socket BGP transport options on Linux (bgp-wire.md §3.3, §3.4). Plain
// file descriptors, so both the Asio sessions and the listeners use them.
#pragma once

#include <string>
#include <string_view>

#include "bgp/codec/ip.h"

namespace kr::bgp::session {

// RFC 2385 TCP MD5 signature key for segments exchanged with `peer` on `fd`
// (a listening or a not yet connected socket). An empty key removes it.
// Returns an error message naming the peer, or "" on success.
std::string set_tcp_md5_key(int fd, const IpAddress& peer, std::string_view key);

// Outgoing IP TTL (IPv4) or unicast hop limit (IPv6). Returns "" or an error.
std::string set_ttl(int fd, bool v6, int ttl);

// The RFC 2385 key length limit of the Linux kernel (TCP_MD5SIG_MAXKEYLEN).
inline constexpr std::size_t kMaxMd5KeyLength = 80;

}  // namespace kr::bgp::session
