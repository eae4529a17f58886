#include "observe/http_server.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <vector>

#include "base/log.h"
#include "observe/listen_socket.h"

namespace kr::observe {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto kReadTimeout = std::chrono::seconds(5);
constexpr auto kWriteTimeout = std::chrono::seconds(10);
constexpr auto kStopGrace = std::chrono::seconds(1);
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);
// The endpoints take no input in the body; anything bigger is not a request for them.
constexpr std::uint64_t kMaxBodyBytes = std::uint64_t{64} * 1024;

bool is_http_protocol_error(const beast::error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_target).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message;
}

// One client connection: read a request, route it, write the response, repeat while the
// client keeps the connection alive.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<const HttpRouter> router)
      : stream_(std::move(socket)),
        router_(std::move(router)),
        stop_timer_(stream_.get_executor()) {}

  void start() { read_request(); }

  // Closes an idle connection now; lets a response in progress finish for up to kStopGrace.
  void stop() {
    stopping_ = true;
    if (!writing_) {
      close();
      return;
    }
    stop_timer_.expires_after(kStopGrace);
    stop_timer_.async_wait([self = shared_from_this()](const beast::error_code& ec) {
      if (!ec) {
        self->close();
      }
    });
  }

 private:
  void read_request() {
    parser_.emplace();
    parser_->body_limit(kMaxBodyBytes);
    stream_.expires_after(kReadTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](const beast::error_code& ec, std::size_t) {
                       self->on_read(ec);
                     });
  }

  void on_read(const beast::error_code& ec) {
    if (ec) {
      if (!stopping_ && is_http_protocol_error(ec)) {
        // A malformed request gets 400 and the connection is closed, as Go's server does.
        KR_V(2, "bad HTTP request from {}: {}", peer(), ec.message());
        write_response({.status = 400, .body = "400 Bad Request"}, 11, false, false);
        return;
      }
      close();
      return;
    }
    const auto& request = parser_->get();
    HttpResponse response = router_->handle(request.method_string(), request.target());
    write_response(std::move(response), request.version(), request.keep_alive() && !stopping_,
                   request.method() == http::verb::head);
  }

  void write_response(HttpResponse response, unsigned version, bool keep_alive, bool head) {
    response_ = {};
    response_.version(version);
    response_.result(response.status);
    response_.set(http::field::content_type, response.content_type);
    response_.body() = std::move(response.body);
    response_.keep_alive(keep_alive);
    response_.prepare_payload();
    if (head) {
      response_.body().clear();  // HEAD: same headers (Content-Length included), no body
    }
    writing_ = true;
    stream_.expires_after(kWriteTimeout);
    http::async_write(
        stream_, response_,
        [self = shared_from_this(), keep_alive](const beast::error_code& ec, std::size_t) {
          self->writing_ = false;
          if (ec || !keep_alive || self->stopping_) {
            self->close();
            return;
          }
          self->read_request();
        });
  }

  void close() {
    stop_timer_.cancel();
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  std::string peer() const {
    beast::error_code ec;
    const auto endpoint = stream_.socket().remote_endpoint(ec);
    return ec ? std::string("unknown peer") : endpoint.address().to_string();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  std::shared_ptr<const HttpRouter> router_;
  asio::steady_timer stop_timer_;
  bool writing_ = false;
  bool stopping_ = false;
};

}  // namespace

class HttpServer::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::io_context& io, std::string name, HttpRouter router)
      : io_(io),
        name_(std::move(name)),
        router_(std::make_shared<const HttpRouter>(std::move(router))),
        acceptor_(io),
        retry_timer_(io) {}

  std::optional<std::string> listen(const ListenAddress& address) {
    if (auto error = open_listener(acceptor_, address)) {
      return error;
    }
    beast::error_code ec;
    port_ = acceptor_.local_endpoint(ec).port();
    KR_INFO("{} server listening on {}", name_, to_string({address.host, port_}));
    accept();
    return std::nullopt;
  }

  std::uint16_t port() const { return port_; }

  // io thread only.
  void stop() {
    if (stopped_) {
      return;
    }
    stopped_ = true;
    if (acceptor_.is_open()) {
      KR_INFO("Shutting down {} server", name_);
    }
    beast::error_code ignored;
    acceptor_.close(ignored);
    retry_timer_.cancel();
    for (auto& weak : sessions_) {
      if (auto session = weak.lock()) {
        session->stop();
      }
    }
    sessions_.clear();
  }

  asio::io_context& io() { return io_; }

 private:
  void accept() {
    acceptor_.async_accept(
        [self = shared_from_this()](const beast::error_code& ec, tcp::socket socket) {
          self->on_accept(ec, std::move(socket));
        });
  }

  void on_accept(const beast::error_code& ec, tcp::socket socket) {
    if (stopped_ || ec == asio::error::operation_aborted) {
      return;
    }
    if (ec) {
      // E.g. out of file descriptors: back off briefly instead of spinning.
      KR_WARN("{} server: accept failed: {}", name_, ec.message());
      retry_timer_.expires_after(kAcceptRetryDelay);
      retry_timer_.async_wait([self = shared_from_this()](const beast::error_code& wait_ec) {
        if (!wait_ec && !self->stopped_) {
          self->accept();
        }
      });
      return;
    }
    std::erase_if(sessions_, [](const auto& weak) { return weak.expired(); });
    auto session = std::make_shared<Session>(std::move(socket), router_);
    sessions_.push_back(session);
    session->start();
    accept();
  }

  asio::io_context& io_;
  const std::string name_;
  const std::shared_ptr<const HttpRouter> router_;
  tcp::acceptor acceptor_;
  asio::steady_timer retry_timer_;
  std::vector<std::weak_ptr<Session>> sessions_;
  std::uint16_t port_ = 0;
  bool stopped_ = false;
};

HttpServer::HttpServer(asio::io_context& io, std::string name, HttpRouter router)
    : impl_(std::make_shared<Impl>(io, std::move(name), std::move(router))) {}

HttpServer::~HttpServer() { impl_->stop(); }

std::optional<std::string> HttpServer::listen(const ListenAddress& address) {
  return impl_->listen(address);
}

std::uint16_t HttpServer::port() const { return impl_->port(); }

void HttpServer::stop() {
  asio::dispatch(impl_->io(), [impl = impl_] { impl->stop(); });
}

}  // namespace kr::observe
