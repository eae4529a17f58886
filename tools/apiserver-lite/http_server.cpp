#include "http_server.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <list>
#include <stdexcept>

#include "api_error.h"
#include "base/log.h"
#include "tls_context.h"
#include "watch_session.h"

namespace kr::apiserver_lite {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::chrono::seconds kHandshakeTimeout{10};
constexpr std::chrono::seconds kIdleTimeout{300};
constexpr std::chrono::seconds kWriteTimeout{60};
// kube-apiserver's limit on request bodies (3 MiB).
constexpr uint64_t kMaxBody = uint64_t{3} * 1024 * 1024;

// What shutdown() needs to know about a live connection.
struct Connection {
  std::weak_ptr<TlsStream> stream;
  bool idle = false;  // waiting for the next request
};

// Lingering close: a client still sending the rest of a refused body would get a reset (and
// lose our answer) if we closed now, so read and discard for a moment first.
asio::awaitable<void> drain_rest(TlsStream& stream) {
  constexpr size_t kMaxDrain = size_t{16} * 1024 * 1024;
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
  char sink[16384];
  boost::system::error_code ec;
  for (size_t drained = 0; !ec && drained < kMaxDrain;) {
    drained += co_await stream.async_read_some(asio::buffer(sink),
                                               asio::redirect_error(asio::use_awaitable, ec));
  }
}

}  // namespace

struct HttpServer::Impl {
  asio::io_context& io;
  asio::ssl::context& tls;
  Router& router;
  const Authenticator& auth;
  Faults& faults;
  WatchHub& hub;
  std::chrono::milliseconds bookmark_interval;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
  std::list<std::shared_ptr<Connection>> connections;
  bool stopping = false;

  asio::awaitable<void> accept_loop(tcp::acceptor& acceptor);
  asio::awaitable<void> serve(tcp::socket socket);
  asio::awaitable<Outcome> dispatch(const Request& request, const std::optional<UserInfo>& user);
};

HttpServer::HttpServer(asio::io_context& io, asio::ssl::context& tls, Router& router,
                       const Authenticator& auth, Faults& faults, WatchHub& hub,
                       std::chrono::milliseconds bookmark_interval)
    : impl_(new Impl{io, tls, router, auth, faults, hub, bookmark_interval, {}, {}, false}) {}

HttpServer::~HttpServer() = default;

uint16_t HttpServer::listen(const std::string& address, uint16_t port) {
  try {
    const tcp::endpoint endpoint(asio::ip::make_address(address), port);
    auto acceptor = std::make_unique<tcp::acceptor>(impl_->io);
    acceptor->open(endpoint.protocol());
    acceptor->set_option(tcp::acceptor::reuse_address(true));
    acceptor->bind(endpoint);
    acceptor->listen();
    const uint16_t bound = acceptor->local_endpoint().port();
    impl_->acceptors.push_back(std::move(acceptor));
    return bound;
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error("--listen " + address + ":" + std::to_string(port) + ": " +
                             e.code().message());
  }
}

uint16_t HttpServer::adopt(int listening_fd) {
  sockaddr_storage storage{};
  socklen_t length = sizeof storage;
  ::getsockname(listening_fd, reinterpret_cast<sockaddr*>(&storage), &length);
  auto acceptor = std::make_unique<tcp::acceptor>(
      impl_->io, storage.ss_family == AF_INET6 ? tcp::v6() : tcp::v4(), listening_fd);
  const uint16_t bound = acceptor->local_endpoint().port();
  impl_->acceptors.push_back(std::move(acceptor));
  return bound;
}

void HttpServer::start() {
  for (auto& acceptor : impl_->acceptors) {
    asio::co_spawn(impl_->io, impl_->accept_loop(*acceptor), asio::detached);
  }
}

void HttpServer::shutdown() {
  impl_->stopping = true;
  for (auto& acceptor : impl_->acceptors) {
    boost::system::error_code ignored;
    acceptor->close(ignored);
  }
  impl_->hub.finish_all();
  for (const auto& connection : impl_->connections) {
    if (auto stream = connection->stream.lock(); stream && connection->idle) {
      beast::get_lowest_layer(*stream).close();
    }
  }
}

bool HttpServer::has_connections() const { return !impl_->connections.empty(); }

asio::awaitable<void> HttpServer::Impl::accept_loop(tcp::acceptor& acceptor) {
  while (!stopping) {
    boost::system::error_code ec;
    tcp::socket socket =
        co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (stopping || ec == asio::error::operation_aborted) {
        co_return;
      }
      KR_WARN("accept failed: {}", ec.message());
      continue;
    }
    asio::co_spawn(io, serve(std::move(socket)), asio::detached);
  }
}

asio::awaitable<Outcome> HttpServer::Impl::dispatch(const Request& request,
                                                    const std::optional<UserInfo>& user) {
  if (!user) {
    co_return error_response(unauthorized());
  }
  if (Router::is_api_path(request.target)) {
    if (const auto delay = faults.take_delay()) {
      asio::steady_timer timer(io, *delay);
      co_await timer.async_wait(asio::use_awaitable);
    }
    if (const auto status = faults.take_failure()) {
      co_return error_response(generic_error(*status));
    }
  }
  co_return router.handle(request, *user, auth.read_only(*user));
}

asio::awaitable<void> HttpServer::Impl::serve(tcp::socket socket) {
  const std::string peer = [&] {
    boost::system::error_code ec;
    const auto endpoint = socket.remote_endpoint(ec);
    return ec ? std::string("?")
              : endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
  }();
  auto stream = std::make_shared<TlsStream>(beast::tcp_stream(std::move(socket)), tls);
  auto connection = std::make_shared<Connection>(Connection{stream, false});
  connections.push_back(connection);
  auto& lowest = beast::get_lowest_layer(*stream);
  try {
    lowest.expires_after(kHandshakeTimeout);
    co_await stream->async_handshake(asio::ssl::stream_base::server, asio::use_awaitable);
    const std::optional<UserInfo> cert_user = client_certificate_user(stream->native_handle());
    beast::flat_buffer buffer;
    bool watched = false;
    while (!stopping) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(kMaxBody);
      connection->idle = true;
      lowest.expires_after(kIdleTimeout);
      boost::system::error_code ec;
      co_await http::async_read(*stream, buffer, parser,
                                asio::redirect_error(asio::use_awaitable, ec));
      connection->idle = false;
      if (ec == http::error::body_limit) {
        http::response<http::string_body> response{http::status::payload_too_large, 11};
        response.set(http::field::content_type, "application/json");
        response.body() = status_json(request_entity_too_large());
        response.keep_alive(false);
        response.prepare_payload();
        lowest.expires_after(kWriteTimeout);
        co_await http::async_write(*stream, response, asio::use_awaitable);
        co_await drain_rest(*stream);
        break;
      }
      if (ec) {
        break;  // closed, timed out or malformed: nothing sensible to answer
      }
      auto& message = parser.get();
      Request request{std::string(message.method_string()),
                      std::string(message.target()),
                      std::move(message.body()),
                      std::string(message[http::field::content_type]),
                      std::string(message[http::field::accept]),
                      std::string(message[http::field::host])};
      // x509 first, then bearer tokens, as kube-apiserver's union authenticator orders them.
      std::optional<UserInfo> user =
          cert_user ? cert_user : auth.authenticate_bearer(message[http::field::authorization]);
      Outcome outcome = co_await dispatch(request, user);
      const std::string who = user ? user->name : "<unauthenticated>";
      if (auto* watch = std::get_if<WatchStream>(&outcome)) {
        KR_V(2, "{} {} WATCH user={} from {}", request.method, request.target, who, peer);
        co_await serve_watch(stream, std::move(*watch), hub, bookmark_interval);
        watched = true;  // the watch owned the connection and has closed it
        break;
      }
      auto& result = std::get<Response>(outcome);
      KR_V(2, "{} {} {} user={} from {}", request.method, request.target, result.status, who, peer);
      http::response<http::string_body> response{static_cast<http::status>(result.status),
                                                 message.version()};
      response.set(http::field::content_type, result.content_type);
      response.set(http::field::cache_control, "no-cache, private");
      for (const auto& [name, value] : result.headers) {
        response.set(name, value);
      }
      response.body() = std::move(result.body);
      response.keep_alive(message.keep_alive() && !stopping);
      response.prepare_payload();
      lowest.expires_after(kWriteTimeout);
      co_await http::async_write(*stream, response, asio::use_awaitable);
      if (!response.keep_alive()) {
        break;
      }
    }
    if (!watched) {
      lowest.expires_after(std::chrono::seconds(2));
      boost::system::error_code ignored;
      co_await stream->async_shutdown(asio::redirect_error(asio::use_awaitable, ignored));
    }
  } catch (const boost::system::system_error& e) {
    KR_V(3, "connection from {} ended: {}", peer, e.code().message());
  } catch (const std::exception& e) {
    // Never let one connection take the server down.
    KR_ERROR("connection from {} failed: {}", peer, e.what());
  }
  lowest.close();
  connections.remove(connection);
}

}  // namespace kr::apiserver_lite
