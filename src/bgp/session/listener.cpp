#include "bgp/session/listener.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <map>

#include "base/log.h"
#include "bgp/session/asio_address.h"
#include "bgp/session/socket_options.h"

namespace kr::bgp::session {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

}  // namespace

class Listener::Impl {
 public:
  Impl(asio::io_context& io, AcceptFn on_accept) : io_(io), on_accept_(std::move(on_accept)) {}
  ~Impl() {
    *alive_ = false;
    for (auto& a : acceptors_) {
      error_code ec;
      a->acceptor.close(ec);
    }
  }

  std::string listen(const IpAddress& address, uint16_t port) {
    auto a = std::make_shared<Acceptor>(io_);
    const tcp::endpoint ep(to_asio(address), port);
    error_code ec;
    a->acceptor.open(ep.protocol(), ec);
    if (!ec) a->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec && address.v6) a->acceptor.set_option(asio::ip::v6_only(true), ec);
    if (!ec) a->acceptor.bind(ep, ec);
    if (!ec) a->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return "listening on " + address.to_string() + " port " + std::to_string(port) + ": " +
             ec.message();
    }
    a->address = address;
    a->port = a->acceptor.local_endpoint(ec).port();
    for (const auto& [peer, key] : keys_) {
      if (peer.v6 != address.v6) continue;
      if (auto e = set_tcp_md5_key(a->acceptor.native_handle(), peer, key); !e.empty()) {
        return e;
      }
    }
    acceptors_.push_back(a);
    accept_next(a);
    return "";
  }

  std::vector<std::pair<IpAddress, uint16_t>> bound() const {
    std::vector<std::pair<IpAddress, uint16_t>> out;
    for (const auto& a : acceptors_) out.emplace_back(a->address, a->port);
    return out;
  }

  std::string set_password(const IpAddress& peer, const std::string& key) {
    if (key.empty()) {
      keys_.erase(peer);
    } else {
      keys_[peer] = key;
    }
    std::string first_error;
    for (const auto& a : acceptors_) {
      if (a->address.v6 != peer.v6) continue;
      auto e = set_tcp_md5_key(a->acceptor.native_handle(), peer, key);
      if (!e.empty() && first_error.empty()) first_error = e;
    }
    return first_error;
  }

 private:
  struct Acceptor {
    explicit Acceptor(asio::io_context& io) : acceptor(io) {}
    tcp::acceptor acceptor;
    IpAddress address;
    uint16_t port = 0;
  };

  void accept_next(const std::shared_ptr<Acceptor>& a) {
    a->acceptor.async_accept([this, alive = alive_, a](const error_code& ec, tcp::socket s) {
      if (!*alive) return;
      if (ec == asio::error::operation_aborted) return;
      if (!ec) {
        error_code e1;
        error_code e2;
        const auto remote = s.remote_endpoint(e1);
        const auto local = s.local_endpoint(e2);
        if (!e1 && !e2) {
          on_accept_(s.release(), from_asio(remote.address()), from_asio(local.address()));
        }
      } else {
        KR_WARN("bgp: accept on {}: {}", a->address.to_string(), ec.message());
      }
      if (*alive) accept_next(a);
    });
  }

  asio::io_context& io_;
  AcceptFn on_accept_;
  std::vector<std::shared_ptr<Acceptor>> acceptors_;
  std::map<IpAddress, std::string> keys_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

Listener::Listener(asio::io_context& io, AcceptFn on_accept)
    : impl_(std::make_unique<Impl>(io, std::move(on_accept))) {}
Listener::~Listener() = default;

std::string Listener::listen(const IpAddress& address, uint16_t port) {
  return impl_->listen(address, port);
}
std::vector<std::pair<IpAddress, uint16_t>> Listener::bound() const { return impl_->bound(); }
std::string Listener::set_password(const IpAddress& peer, const std::string& key) {
  return impl_->set_password(peer, key);
}

}  // namespace kr::bgp::session
