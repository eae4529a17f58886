// HTTPS to the API server (Boost.Beast over OpenSSL; Beast stays in rest_transport.cpp).
//
// Requests reuse idle keep-alive connections; a watch gets a connection of its own for as long
// as it streams. The server certificate is verified against the configured CA, with the host
// (or tls-server-name) checked against its DNS or IP subjectAltNames. Every operation runs on
// the io_context thread as a coroutine and never throws: transport failures come back as
// status 0 with an error text.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "k8s/client_config.h"

namespace boost::asio {
class io_context;
}

namespace kr::k8s {

enum class Method { kGet, kPost, kPut, kPatch };

struct HttpResponse {
  int status = 0;     // HTTP status, 0 when no response was received
  std::string body;   // response body (for a stream: only when status != 200)
  std::string error;  // transport failure description when status == 0
};

// Lets the owner of a stream end it early. Used on the io_context thread only.
struct StreamCancel {
  bool cancelled = false;
  std::function<void()> close;  // set by stream_lines while its connection is open
};

// Outcome of a streamed (watch) request.
struct StreamResult {
  HttpResponse response;
  bool ended_cleanly = false;  // the server finished the body (e.g. timeoutSeconds elapsed)
};

class RestTransport {
 public:
  // Builds the TLS context; throws ConfigError if the certificates or key are unusable.
  RestTransport(boost::asio::io_context& io, const ClientConfig& config);
  ~RestTransport();
  RestTransport(const RestTransport&) = delete;
  RestTransport& operator=(const RestTransport&) = delete;

  // One request/response. `target` is the path and query below the server's base path.
  boost::asio::awaitable<HttpResponse> request(Method method, std::string target,
                                               std::string body = {},
                                               std::string content_type = {});

  // Streams a long-running GET, calling on_line for every '\n'-terminated line of the body.
  // Fails with a timeout when no byte arrives for `idle_timeout`. Setting cancel->cancelled
  // and calling cancel->close() ends it.
  boost::asio::awaitable<StreamResult> stream_lines(
      std::string target, const std::function<void(std::string_view line)>& on_line,
      std::chrono::milliseconds idle_timeout, std::shared_ptr<StreamCancel> cancel);

  // Per-request deadline (connect + TLS + write + read). Default 30 s.
  void set_request_timeout(std::chrono::milliseconds timeout);

  // Closes every connection, including streaming ones, and fails later calls. Thread-safe.
  void shutdown();

  // Connections opened so far (keep-alive reuse keeps this low); for tests.
  uint64_t connections_opened() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace kr::k8s
