#include "bgp/session/session.h"

#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <cstring>
#include <deque>
#include <map>
#include <random>

#include "base/log.h"
#include "bgp/session/asio_address.h"
#include "bgp/session/socket_options.h"

namespace kr::bgp::session {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

// Room for many maximum-size messages per read: a burst of UPDATEs is
// decoded in one pass (and the speaker batches its RIB work per pass).
constexpr std::size_t kReadBufferSize = std::size_t{64} * 1024;
constexpr std::size_t kMaxBuffersPerWrite = 64;
// How long a closing connection may take to flush its last messages (a
// NOTIFICATION) to a peer that stopped reading.
constexpr std::chrono::seconds kCloseLinger{5};

struct Connection {
  explicit Connection(asio::io_context& io) : socket(io), timer(io) {}
  ConnId id = 0;
  tcp::socket socket;
  asio::steady_timer timer;  // connect timeout, then close linger
  Bytes rx;
  std::size_t rx_filled = 0;
  std::deque<Bytes> queue;
  std::vector<Bytes> in_flight;
  bool writing = false;
  // The FSM no longer knows this connection: no more events are reported.
  bool detached = false;
  bool closing = false;  // flush the queue, then close
};
using ConnectionPtr = std::shared_ptr<Connection>;

Endpoints endpoints_of(const tcp::socket& s) {
  error_code ec;
  Endpoints e;
  const auto local = s.local_endpoint(ec);
  if (!ec) {
    e.local = from_asio(local.address());
    e.local_port = local.port();
  }
  const auto remote = s.remote_endpoint(ec);
  if (!ec) {
    e.remote = from_asio(remote.address());
    e.remote_port = remote.port();
  }
  return e;
}

void close_now(Connection& c) {
  error_code ec;
  c.timer.cancel();
  c.socket.shutdown(tcp::socket::shutdown_both, ec);
  c.socket.close(ec);
}

}  // namespace

class Session::Impl : public FsmIo {
 public:
  Impl(asio::io_context& io, SessionConfig config, FsmListener& listener)
      : io_(io), fsm_(std::move(config), *this, listener), rng_(std::random_device{}()) {}

  ~Impl() override {
    *alive_ = false;
    for (auto& [id, c] : conns_) close_now(*c);
    for (auto& [key, t] : timers_) t.timer->cancel();
  }

  Fsm& fsm() { return fsm_; }

  void offer_connection(int fd) {
    sockaddr_storage ss{};
    socklen_t len = sizeof(ss);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
      ::close(fd);
      return;
    }
    auto c = std::make_shared<Connection>(io_);
    error_code ec;
    c->socket.assign(ss.ss_family == AF_INET6 ? tcp::v6() : tcp::v4(), fd, ec);
    if (ec) {
      ::close(fd);
      return;
    }
    const SessionConfig& cfg = fsm_.config();
    if (cfg.ttl != 0) {
      if (auto e = set_ttl(fd, ss.ss_family == AF_INET6, cfg.ttl); !e.empty()) {
        KR_WARN("bgp peer {}: {}", cfg.peer_address.to_string(), e);
      }
    }
    c->id = fsm_.reserve_id();
    conns_[c->id] = c;
    if (!fsm_.accept(c->id, endpoints_of(c->socket))) {
      conns_.erase(c->id);
      close_now(*c);
      return;
    }
    if (conns_.contains(c->id)) start_read(c);
  }

  // --- FsmIo ---
  void start_connect(ConnId id) override {
    auto c = std::make_shared<Connection>(io_);
    c->id = id;
    conns_[id] = c;
    const SessionConfig& cfg = fsm_.config();
    if (auto error = prepare_outgoing(*c, cfg); !error.empty()) {
      KR_WARN("bgp peer {}: cannot connect: {}", cfg.peer_address.to_string(), error);
      asio::post(io_, [this, alive = alive_, c] {
        if (*alive && !c->detached) report_closed(c, /*connecting=*/true);
      });
      return;
    }
    const tcp::endpoint peer(to_asio(cfg.peer_address), cfg.peer_port);
    c->socket.async_connect(peer, [this, alive = alive_, c](const error_code& ec) {
      if (!*alive || c->detached) return;
      c->timer.cancel();
      if (ec) {
        KR_V(2, "bgp peer {}: connect: {}", fsm_.config().peer_address.to_string(), ec.message());
        report_closed(c, /*connecting=*/true);
        return;
      }
      fsm_.connected(c->id, endpoints_of(c->socket));
      if (!c->detached) start_read(c);
    });
    // TCP connect timeout = ConnectRetry − 1 s (bgp-wire.md §3.1).
    const auto timeout = std::max<std::chrono::seconds>(
        std::chrono::seconds(1), cfg.connect_retry - std::chrono::seconds(1));
    c->timer.expires_after(timeout);
    c->timer.async_wait([alive = alive_, c](const error_code& ec) {
      if (!*alive || ec || c->detached) return;
      error_code ignored;
      c->socket.close(ignored);  // completes async_connect with an error
    });
  }

  void send(ConnId id, Bytes message) override {
    auto it = conns_.find(id);
    if (it == conns_.end()) return;
    const ConnectionPtr& c = it->second;
    c->queue.push_back(std::move(message));
    if (!c->writing) write_some(c);
  }

  void close(ConnId id) override {
    auto it = conns_.find(id);
    if (it == conns_.end()) return;
    ConnectionPtr c = it->second;
    conns_.erase(it);
    c->detached = true;
    if (!c->writing && c->queue.empty()) {
      close_now(*c);
      return;
    }
    c->closing = true;
    c->timer.cancel();
    c->timer.expires_after(kCloseLinger);
    c->timer.async_wait([c](const error_code& ec) {
      if (!ec) close_now(*c);
    });
  }

  void arm_timer(TimerKind kind, ConnId id, std::chrono::milliseconds after) override {
    const TimerKey key{kind, id};
    Timer& t = timers_[key];
    if (!t.timer) t.timer = std::make_unique<asio::steady_timer>(io_);
    const uint64_t generation = ++t.generation;
    t.timer->expires_after(after);
    t.timer->async_wait([this, alive = alive_, key, generation](const error_code& ec) {
      if (!*alive || ec) return;
      auto it = timers_.find(key);
      if (it == timers_.end() || it->second.generation != generation) return;
      fsm_.timer_expired(key.first, key.second);
    });
  }

  void cancel_timer(TimerKind kind, ConnId id) override {
    auto it = timers_.find({kind, id});
    if (it == timers_.end()) return;
    it->second.timer->cancel();
    // Per-connection timers go with their connection.
    if (id != 0) {
      timers_.erase(it);
    } else {
      ++it->second.generation;
    }
  }

  std::chrono::steady_clock::time_point now() override { return std::chrono::steady_clock::now(); }

  double jitter() override { return std::uniform_real_distribution<double>(0.75, 1.0)(rng_); }

 private:
  using TimerKey = std::pair<TimerKind, ConnId>;
  struct Timer {
    std::unique_ptr<asio::steady_timer> timer;
    uint64_t generation = 0;
  };

  static std::string prepare_outgoing(Connection& c, const SessionConfig& cfg) {
    error_code ec;
    c.socket.open(cfg.peer_address.v6 ? tcp::v6() : tcp::v4(), ec);
    if (ec) return "socket: " + ec.message();
    const int fd = c.socket.native_handle();
    if (cfg.local_address) {
      c.socket.bind(tcp::endpoint(to_asio(*cfg.local_address), 0), ec);
      if (ec) return "binding " + cfg.local_address->to_string() + ": " + ec.message();
    }
    // RFC 2385: the key must be in place before the SYN goes out.
    if (!cfg.password.empty()) {
      if (auto e = set_tcp_md5_key(fd, cfg.peer_address, cfg.password); !e.empty()) return e;
    }
    if (cfg.ttl != 0) {
      if (auto e = set_ttl(fd, cfg.peer_address.v6, cfg.ttl); !e.empty()) return e;
    }
    return "";
  }

  // The connection failed or the peer closed it: the FSM hears once.
  void report_closed(const ConnectionPtr& c, bool connecting) {
    if (c->detached) return;
    c->detached = true;
    conns_.erase(c->id);
    close_now(*c);
    if (connecting) {
      fsm_.connect_failed(c->id);
    } else {
      fsm_.connection_closed(c->id);
    }
  }

  void start_read(const ConnectionPtr& c) {
    if (c->rx.size() < kReadBufferSize) c->rx.resize(kReadBufferSize);
    auto buffer = asio::buffer(c->rx.data() + c->rx_filled, c->rx.size() - c->rx_filled);
    c->socket.async_read_some(
        buffer, [this, alive = alive_, c](const error_code& ec, std::size_t n) {
          if (!*alive || c->detached) return;
          if (ec) {
            KR_V(2, "bgp peer {}: read: {}", fsm_.config().peer_address.to_string(), ec.message());
            report_closed(c, /*connecting=*/false);
            return;
          }
          c->rx_filled += n;
          const std::size_t used = fsm_.data_received(c->id, ByteSpan(c->rx.data(), c->rx_filled));
          if (c->detached) return;
          // Keep the incomplete tail for the next read.
          std::memmove(c->rx.data(), c->rx.data() + used, c->rx_filled - used);
          c->rx_filled -= used;
          start_read(c);
        });
  }

  void write_some(const ConnectionPtr& c) {
    c->writing = true;
    std::vector<asio::const_buffer> buffers;
    while (!c->queue.empty() && c->in_flight.size() < kMaxBuffersPerWrite) {
      c->in_flight.push_back(std::move(c->queue.front()));
      c->queue.pop_front();
    }
    buffers.reserve(c->in_flight.size());
    for (const Bytes& b : c->in_flight) buffers.push_back(asio::buffer(b));
    asio::async_write(c->socket, buffers,
                      [this, alive = alive_, c](const error_code& ec, std::size_t) {
                        c->in_flight.clear();
                        c->writing = false;
                        if (!*alive) return;
                        if (ec) {
                          if (c->closing) {
                            close_now(*c);
                          } else {
                            report_closed(c, /*connecting=*/false);
                          }
                          return;
                        }
                        if (!c->queue.empty()) {
                          write_some(c);
                        } else if (c->closing) {
                          close_now(*c);
                        }
                      });
  }

  asio::io_context& io_;
  Fsm fsm_;
  std::mt19937 rng_;
  std::map<ConnId, ConnectionPtr> conns_;
  std::map<TimerKey, Timer> timers_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

Session::Session(asio::io_context& io, SessionConfig config, FsmListener& listener)
    : impl_(std::make_unique<Impl>(io, std::move(config), listener)) {}
Session::~Session() = default;

void Session::start() { impl_->fsm().start(); }
void Session::stop(std::optional<Notification> notify) { impl_->fsm().stop(std::move(notify)); }
void Session::reset(const Notification& notify) { impl_->fsm().reset(notify); }
void Session::set_restarting(bool restarting) { impl_->fsm().set_restarting(restarting); }
void Session::offer_connection(int fd) { impl_->offer_connection(fd); }
bool Session::send_update(Bytes message) { return impl_->fsm().send_update(std::move(message)); }
const Fsm& Session::fsm() const { return impl_->fsm(); }

}  // namespace kr::bgp::session
