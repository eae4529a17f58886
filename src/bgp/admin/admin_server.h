// Serves the admin protocol (admin_protocol.h) for one speaker on a unix
// stream socket, on the speaker's io_context.
#pragma once

#include <memory>
#include <string>

namespace boost::asio {
class io_context;
}
namespace kr::bgp::speaker {
class Speaker;
}

namespace kr::bgp::admin {

class AdminServer {
 public:
  AdminServer(boost::asio::io_context& io, speaker::Speaker& speaker, std::string path);
  // Stops accepting and removes the socket file.
  ~AdminServer();
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  // Creates the socket (replacing a stale one, creating its directory),
  // readable and writable by the owner only. Returns "" or an error naming
  // the path.
  std::string start();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kr::bgp::admin
