#include "k8s/rest_transport.h"

#include <fmt/format.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <unordered_set>
#include <vector>

#include "k8s/server_url.h"
#include "k8s/token_source.h"

namespace kr::k8s {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
// LIST pages of 500 big objects run to a few MiB; anything near this is not an API response.
constexpr uint64_t kMaxBodyBytes = 512ull << 20;
// Error bodies of a failed watch are short Status objects.
constexpr size_t kMaxErrorBodyBytes = 1 << 20;
constexpr size_t kMaxIdleConnections = 4;
constexpr size_t kStreamBufferBytes = size_t{64} * 1024;

http::verb to_verb(Method m) {
  switch (m) {
    case Method::kGet:
      return http::verb::get;
    case Method::kPost:
      return http::verb::post;
    case Method::kPut:
      return http::verb::put;
    case Method::kPatch:
      return http::verb::patch;
  }
  return http::verb::get;
}

struct Connection {
  Connection(asio::io_context& io, ssl::context& tls) : stream(io, tls) {}
  beast::ssl_stream<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
};

ssl::context make_tls_context(const ClientConfig& config) {
  ssl::context tls(ssl::context::tls_client);
  tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                  ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  if (config.insecure_skip_tls_verify) {
    tls.set_verify_mode(ssl::verify_none);
  } else {
    tls.set_verify_mode(ssl::verify_peer);
    if (config.ca_pem.empty()) {
      tls.set_default_verify_paths(ec);
    } else {
      tls.add_certificate_authority(asio::buffer(config.ca_pem), ec);
    }
    if (ec) {
      throw ConfigError(
          fmt::format("{}: cannot use certificate-authority: {}", config.origin, ec.message()));
    }
  }
  if (!config.client_cert_pem.empty()) {
    tls.use_certificate_chain(asio::buffer(config.client_cert_pem), ec);
    if (!ec) {
      tls.use_private_key(asio::buffer(config.client_key_pem), ssl::context::pem, ec);
    }
    if (ec) {
      throw ConfigError(
          fmt::format("{}: cannot use client certificate/key: {}", config.origin, ec.message()));
    }
  }
  return tls;
}

}  // namespace

struct RestTransport::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io_context, const ClientConfig& config)
      : io(io_context),
        tls(make_tls_context(config)),
        server(parse_server_url(config.server, config.origin)),
        verify_name(config.tls_server_name.empty() ? server.host : config.tls_server_name),
        verify(!config.insecure_skip_tls_verify),
        tokens(config.token, config.token_file) {
    const bool v6 = server.host.find(':') != std::string::npos;
    host_header = v6 ? "[" + server.host + "]" : server.host;
    if (server.port != "443") {
      host_header += ":" + server.port;
    }
  }

  asio::io_context& io;
  ssl::context tls;
  ServerAddress server;
  std::string verify_name;
  bool verify;
  std::string host_header;
  TokenSource tokens;
  std::chrono::milliseconds request_timeout{30000};
  std::atomic<uint64_t> opened{0};
  // io_context thread only:
  bool closed = false;
  std::vector<std::unique_ptr<Connection>> idle;
  std::unordered_set<Connection*> active;

  // Keeps a connection in `active` so shutdown() can close it mid-operation.
  struct ActiveGuard {
    Impl& impl;
    Connection* conn;
    ActiveGuard(Impl& i, Connection* c) : impl(i), conn(c) { impl.active.insert(conn); }
    ~ActiveGuard() { impl.active.erase(conn); }
  };

  std::unique_ptr<Connection> take_idle() {
    if (idle.empty()) {
      return nullptr;
    }
    auto conn = std::move(idle.back());
    idle.pop_back();
    return conn;
  }

  void give_back(std::unique_ptr<Connection> conn) {
    if (!closed && idle.size() < kMaxIdleConnections) {
      idle.push_back(std::move(conn));
    }
  }

  // Opens a TCP + TLS connection; on failure returns nullptr and sets `error`.
  asio::awaitable<std::unique_ptr<Connection>> connect(std::string& error) {
    auto conn = std::make_unique<Connection>(io, tls);
    ActiveGuard guard(*this, conn.get());
    tcp::resolver resolver(io);
    auto [rec, endpoints] = co_await resolver.async_resolve(server.host, server.port, kNoThrow);
    if (rec) {
      error = fmt::format("resolve {}: {}", server.host, rec.message());
      co_return nullptr;
    }
    auto& tcp_stream = beast::get_lowest_layer(conn->stream);
    tcp_stream.expires_after(request_timeout);
    auto [cec, endpoint] = co_await tcp_stream.async_connect(endpoints, kNoThrow);
    if (cec || closed) {
      error = fmt::format("connect {}:{}: {}", server.host, server.port,
                          closed ? "client shut down" : cec.message());
      co_return nullptr;
    }
    SSL* ssl_handle = conn->stream.native_handle();
    boost::system::error_code parse_ec;
    asio::ip::make_address(verify_name, parse_ec);
    const bool name_is_ip = !parse_ec;
    if (!name_is_ip) {
      SSL_set_tlsext_host_name(ssl_handle, verify_name.c_str());  // SNI (RFC 6066 §3): names only
    }
    if (verify) {
      X509_VERIFY_PARAM* param = SSL_get0_param(ssl_handle);
      // RFC 6125: an IP must match an iPAddress SAN, a name a dNSName SAN.
      const int ok = name_is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, verify_name.c_str())
                                : X509_VERIFY_PARAM_set1_host(param, verify_name.c_str(), 0);
      if (ok != 1) {
        error = fmt::format("cannot verify server name \"{}\"", verify_name);
        co_return nullptr;
      }
    }
    auto [hec] = co_await conn->stream.async_handshake(ssl::stream_base::client, kNoThrow);
    if (hec) {
      const long verify_result = SSL_get_verify_result(ssl_handle);
      error =
          verify_result != X509_V_OK
              ? fmt::format("TLS handshake with {}:{}: certificate verification failed: {}",
                            server.host, server.port, X509_verify_cert_error_string(verify_result))
              : fmt::format("TLS handshake with {}:{}: {}", server.host, server.port,
                            hec.message());
      co_return nullptr;
    }
    opened.fetch_add(1, std::memory_order_relaxed);
    co_return conn;
  }

  http::request<http::string_body> make_request(Method method, const std::string& target,
                                                std::string body, const std::string& content_type) {
    http::request<http::string_body> req{to_verb(method), server.base_path + target, 11};
    req.set(http::field::host, host_header);
    req.set(http::field::user_agent, "kube-router");
    req.set(http::field::accept, "application/json");
    const std::string token = tokens.token();
    if (!token.empty()) {
      req.set(http::field::authorization, "Bearer " + token);
    }
    if (!content_type.empty()) {
      req.set(http::field::content_type, content_type);
    }
    req.keep_alive(true);
    req.body() = std::move(body);
    req.prepare_payload();
    return req;
  }
};

RestTransport::RestTransport(asio::io_context& io, const ClientConfig& config)
    : impl_(std::make_shared<Impl>(io, config)) {}

RestTransport::~RestTransport() = default;

void RestTransport::set_request_timeout(std::chrono::milliseconds timeout) {
  impl_->request_timeout = timeout;
}

uint64_t RestTransport::connections_opened() const { return impl_->opened.load(); }

void RestTransport::shutdown() {
  asio::post(impl_->io, [impl = impl_] {
    impl->closed = true;
    impl->idle.clear();
    for (Connection* c : impl->active) {
      beast::get_lowest_layer(c->stream).close();
    }
  });
}

asio::awaitable<HttpResponse> RestTransport::request(Method method, std::string target,
                                                     std::string body, std::string content_type) {
  auto impl = impl_;  // keeps the transport alive while suspended
  HttpResponse out;
  // A pooled connection may have been closed by the server while idle; such a failure before
  // any response byte is retried once on a fresh connection (not for POST, which may have been
  // applied).
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (impl->closed) {
      out.error = "client shut down";
      co_return out;
    }
    std::unique_ptr<Connection> conn = impl->take_idle();
    const bool reused = conn != nullptr;
    if (!conn) {
      conn = co_await impl->connect(out.error);
      if (!conn) {
        co_return out;
      }
    }
    Impl::ActiveGuard guard(*impl, conn.get());
    auto req = impl->make_request(method, target, body, content_type);
    beast::get_lowest_layer(conn->stream).expires_after(impl->request_timeout);
    auto [wec, written] = co_await http::async_write(conn->stream, req, kNoThrow);
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxBodyBytes);
    boost::system::error_code ec = wec;
    if (!ec) {
      auto [rec, read] = co_await http::async_read(conn->stream, conn->buffer, parser, kNoThrow);
      ec = rec;
    }
    if (ec) {
      if (reused && method != Method::kPost && !parser.got_some() && !impl->closed) {
        continue;
      }
      out.error = ec == beast::error::timeout ? "request timed out" : ec.message();
      co_return out;
    }
    auto response = parser.release();
    out.status = static_cast<int>(response.result_int());
    out.body = std::move(response.body());
    out.error.clear();
    beast::get_lowest_layer(conn->stream).expires_never();
    if (response.keep_alive()) {
      impl->give_back(std::move(conn));
    }
    co_return out;
  }
  co_return out;
}

asio::awaitable<StreamResult> RestTransport::stream_lines(
    std::string target, const std::function<void(std::string_view line)>& on_line,
    std::chrono::milliseconds idle_timeout, std::shared_ptr<StreamCancel> cancel) {
  auto impl = impl_;
  StreamResult result;
  HttpResponse& out = result.response;
  if (impl->closed || cancel->cancelled) {
    out.error = impl->closed ? "client shut down" : "cancelled";
    co_return result;
  }
  // A dedicated connection: a watch holds it for minutes.
  std::unique_ptr<Connection> conn = co_await impl->connect(out.error);
  if (!conn) {
    co_return result;
  }
  Impl::ActiveGuard guard(*impl, conn.get());
  auto& tcp_stream = beast::get_lowest_layer(conn->stream);
  if (cancel->cancelled) {
    out.error = "cancelled";
    co_return result;
  }
  cancel->close = [&tcp_stream] { tcp_stream.close(); };
  struct ResetClose {
    StreamCancel& c;
    ~ResetClose() { c.close = nullptr; }
  } reset_close{*cancel};
  auto req = impl->make_request(Method::kGet, target, {}, {});
  tcp_stream.expires_after(impl->request_timeout);
  auto [wec, written] = co_await http::async_write(conn->stream, req, kNoThrow);
  http::response_parser<http::buffer_body> parser;
  parser.body_limit(boost::none);  // a watch streams for as long as it lasts
  boost::system::error_code ec = wec;
  if (!ec) {
    auto [hec, n] = co_await http::async_read_header(conn->stream, conn->buffer, parser, kNoThrow);
    ec = hec;
  }
  if (ec) {
    out.error = ec == beast::error::timeout ? "watch request timed out" : ec.message();
    co_return result;
  }
  out.status = static_cast<int>(parser.get().result_int());
  std::vector<char> chunk(kStreamBufferBytes);
  std::string pending;  // bytes after the last '\n'
  while (!parser.is_done()) {
    parser.get().body().data = chunk.data();
    parser.get().body().size = chunk.size();
    tcp_stream.expires_after(out.status == 200 ? idle_timeout : impl->request_timeout);
    auto [rec, n] = co_await http::async_read_some(conn->stream, conn->buffer, parser, kNoThrow);
    if (rec && rec != http::error::need_buffer) {
      out.error = rec == beast::error::timeout ? "watch idle timeout" : rec.message();
      co_return result;
    }
    const size_t got = chunk.size() - parser.get().body().size;
    if (out.status != 200) {
      if (out.body.size() < kMaxErrorBodyBytes) {
        out.body.append(chunk.data(), got);
      }
      continue;
    }
    pending.append(chunk.data(), got);
    size_t start = 0;
    for (size_t nl = pending.find('\n'); nl != std::string::npos; nl = pending.find('\n', start)) {
      if (nl > start) {
        on_line(std::string_view(pending).substr(start, nl - start));
      }
      start = nl + 1;
    }
    pending.erase(0, start);
  }
  if (out.status == 200 && !pending.empty()) {
    on_line(pending);
  }
  result.ended_cleanly = true;
  co_return result;
}

}  // namespace kr::k8s
