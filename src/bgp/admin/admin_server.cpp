#include "bgp/admin/admin_server.h"

#include <sys/stat.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <filesystem>

#include "base/log.h"
#include "bgp/admin/admin_protocol.h"

namespace kr::bgp::admin {
namespace {

namespace asio = boost::asio;
using local = asio::local::stream_protocol;
using boost::system::error_code;

struct Client {
  explicit Client(asio::io_context& io) : socket(io) {}
  local::socket socket;
  std::string buffer;
  std::string response;
};

}  // namespace

class AdminServer::Impl {
 public:
  Impl(asio::io_context& io, speaker::Speaker& speaker, std::string path)
      : io_(io), speaker_(speaker), path_(std::move(path)), acceptor_(io) {}
  ~Impl() {
    *alive_ = false;
    if (acceptor_.is_open()) {
      error_code ec;
      acceptor_.close(ec);
      std::filesystem::remove(path_, ec);
    }
  }

  std::string start() {
    namespace fs = std::filesystem;
    std::error_code fec;
    const fs::path p(path_);
    if (p.has_parent_path()) fs::create_directories(p.parent_path(), fec);
    // A socket left behind by a previous run is ours to replace; anything
    // else at that path is not.
    if (fs::exists(p, fec)) {
      if (!fs::is_socket(p, fec)) return "admin socket path " + path_ + " exists and is no socket";
      fs::remove(p, fec);
    }
    error_code ec;
    acceptor_.open(local(), ec);
    if (!ec) acceptor_.bind(local::endpoint(path_), ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return "admin socket " + path_ + ": " + ec.message();
    ::chmod(path_.c_str(), 0600);
    accept_next();
    return "";
  }

 private:
  void accept_next() {
    auto client = std::make_shared<Client>(io_);
    acceptor_.async_accept(client->socket, [this, alive = alive_, client](const error_code& ec) {
      if (!*alive || ec == asio::error::operation_aborted) return;
      if (!ec) serve(client);
      accept_next();
    });
  }

  void serve(const std::shared_ptr<Client>& client) {
    asio::async_read_until(
        client->socket, asio::dynamic_buffer(client->buffer, kMaxRequestSize), '\n',
        [this, alive = alive_, client](const error_code& ec, std::size_t n) {
          if (!*alive || ec) return;  // oversized or broken request: just close
          client->response =
              handle_request(speaker_, std::string_view(client->buffer).substr(0, n));
          client->response += '\n';
          asio::async_write(client->socket, asio::buffer(client->response),
                            [client](const error_code&, std::size_t) {
                              error_code ignored;
                              client->socket.shutdown(local::socket::shutdown_both, ignored);
                            });
        });
  }

  asio::io_context& io_;
  speaker::Speaker& speaker_;
  std::string path_;
  local::acceptor acceptor_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

AdminServer::AdminServer(asio::io_context& io, speaker::Speaker& speaker, std::string path)
    : impl_(std::make_unique<Impl>(io, speaker, std::move(path))) {}
AdminServer::~AdminServer() = default;
std::string AdminServer::start() { return impl_->start(); }

}  // namespace kr::bgp::admin
