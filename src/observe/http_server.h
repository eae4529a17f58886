// A small HTTP/1.1 server for the health and metrics endpoints: plain TCP, keep-alive, any
// method, exact-path routing, a 5 s limit to receive each request (Go's ReadHeaderTimeout in
// upstream's servers; it also bounds how long an idle keep-alive connection is kept).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "observe/http_router.h"
#include "observe/listen_address.h"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace kr::observe {

// Runs on the daemon's io_context, which must be run by a single thread and outlive the server.
// Handlers run on that thread and must not block.
class HttpServer {
 public:
  // `name` appears in log lines ("health", "metrics").
  HttpServer(boost::asio::io_context& io, std::string name, HttpRouter router);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts accepting. Returns "unable to open <address>: <step>: <reason>" on failure.
  std::optional<std::string> listen(const ListenAddress& address);

  // The bound port (useful after listening on port 0); 0 when not listening.
  std::uint16_t port() const;

  // Graceful stop for SIGTERM: closes the listener and idle connections at once; a response
  // being written gets up to 1 s to finish. Safe to call from any thread and more than once.
  void stop();

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace kr::observe
