// The HTTPS front end: TLS listeners, one coroutine per connection on a single-threaded
// io_context, authentication, fault injection, and hand-off to the Router (or to a watch
// stream). Asio and Beast stay behind this pimpl so main.cpp compiles quickly.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace boost::asio {
class io_context;
namespace ssl {
class context;
}  // namespace ssl
}  // namespace boost::asio

namespace kr::apiserver_lite {

class Authenticator;
class Faults;
class Router;
class WatchHub;

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, boost::asio::ssl::context& tls, Router& router,
             const Authenticator& auth, Faults& faults, WatchHub& hub,
             std::chrono::milliseconds bookmark_interval);
  ~HttpServer();

  // Binds and listens in this process's namespace; returns the bound port. Throws
  // std::runtime_error naming the address.
  uint16_t listen(const std::string& address, uint16_t port);
  // Takes over an already listening socket (from listen_in_netns); returns its port.
  uint16_t adopt(int listening_fd);
  // Starts accepting on every listener.
  void start();
  // Stops accepting, ends watches cleanly and closes idle connections; io_context::run returns
  // once in-flight requests finish.
  void shutdown();
  bool has_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kr::apiserver_lite
