// The speaker's listening sockets (bgp-wire.md §3.1, §3.4): one per local
// address, each carrying the TCP MD5 key of every neighbor with a password,
// so such a neighbor can connect in. Accepted connections are handed to a
// callback as file descriptors; the speaker routes them to the neighbor's
// session or closes them. Calls must be made on the io_context's thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bgp/codec/ip.h"

namespace boost::asio {
class io_context;
}

namespace kr::bgp::session {

class Listener {
 public:
  // `fd` is a connected socket now owned by the callee.
  using AcceptFn = std::function<void(int fd, const IpAddress& remote, const IpAddress& local)>;

  Listener(boost::asio::io_context& io, AcceptFn on_accept);
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Starts listening on address:port (port 0: the kernel picks one). Returns
  // "" or an error naming the address.
  std::string listen(const IpAddress& address, uint16_t port);
  // The bound address and port of every listening socket, in listen() order.
  std::vector<std::pair<IpAddress, uint16_t>> bound() const;

  // Installs `key` for `peer` on every listener of the peer's family (and on
  // those opened later); an empty key removes it. Returns "" or the first
  // error.
  std::string set_password(const IpAddress& peer, const std::string& key);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kr::bgp::session
