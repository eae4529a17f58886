// TCP sockets made inside a test's network namespace (a socket keeps the namespace it was
// created in), and blocking helpers with a bound on waiting (TCG is slow; the bound only stops
// a hang and is not a performance assertion).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "support/netns.h"

namespace kr::proxy::vmtest {

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd();
  Fd(Fd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

 private:
  int fd_;
};

// "/var/run/netns/NAME".
std::string netns_path(const test::ScopedNetns& ns);

// Runs fn with the calling thread inside the namespace, then returns it to its own.
void in_netns(const test::ScopedNetns& ns, const std::function<void()>& fn);

// A listening TCP socket on [::]:port accepting IPv4 and IPv6, inside ns.
Fd listen_tcp(const test::ScopedNetns& ns, std::uint16_t port);

// A connected TCP socket from ns to address:port; invalid when it did not connect in time.
Fd connect_tcp(const test::ScopedNetns& ns, const std::string& address, std::uint16_t port,
               std::chrono::milliseconds timeout);

// Reads one line ("\n" stripped); nullopt on timeout, error or end of stream.
std::optional<std::string> read_line(const Fd& fd, std::chrono::milliseconds timeout);
bool write_all(const Fd& fd, const std::string& data);

}  // namespace kr::proxy::vmtest
