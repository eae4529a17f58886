// Test-side HTTP helpers: curl for ordinary requests, a raw loopback socket where the test must
// control the connection itself (keep-alive, server shutdown), and running promtool.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace kr::observe::http_test {

struct FetchResult {
  int status = 0;
  std::string content_type;
  std::string content_length;
  std::string body;
};

// Runs curl against http://127.0.0.1:<port><path> (or [::1] when `ipv6`). `method` is passed
// with -X, or "HEAD" uses -I.
FetchResult curl_fetch(std::uint16_t port, const std::string& path,
                       const std::string& method = "GET", bool ipv6 = false);

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};
CommandResult run_command(const std::string& command);

// A blocking client connection to 127.0.0.1:<port>. Reads give up after 10 s so a broken server
// fails the test instead of hanging it.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  int connect_errno() const { return connect_errno_; }
  bool send_all(const std::string& data);
  // One response (headers plus Content-Length body); nullopt if the server closed first.
  std::optional<std::string> read_response();
  // True when the server has closed the connection (read returns end of stream).
  bool closed_by_peer();

 private:
  int fd_ = -1;
  int connect_errno_ = 0;
  std::string pending_;
};

}  // namespace kr::observe::http_test
