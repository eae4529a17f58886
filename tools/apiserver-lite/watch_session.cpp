#include "watch_session.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>

#include "base/log.h"

namespace kr::apiserver_lite {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;

namespace {

// A stalled client must not hold a write forever.
constexpr std::chrono::seconds kWriteTimeout{60};

struct WatchState {
  explicit WatchState(const asio::any_io_executor& executor) : wake(executor) {}
  asio::steady_timer wake;
  bool client_gone = false;
};

// The client sends nothing on a watch connection; a completed read means it closed (or broke)
// the connection, so the watch can end without waiting for the next event.
asio::awaitable<void> detect_close(std::shared_ptr<TlsStream> stream,
                                   std::shared_ptr<WatchState> state) {
  char byte = 0;
  boost::system::error_code ec;
  co_await stream->async_read_some(asio::buffer(&byte, 1),
                                   asio::redirect_error(asio::use_awaitable, ec));
  state->client_gone = true;
  state->wake.cancel();
}

asio::awaitable<void> write_chunk(TlsStream& stream, const std::string& data) {
  beast::get_lowest_layer(stream).expires_after(kWriteTimeout);
  co_await asio::async_write(stream, http::make_chunk(asio::buffer(data)), asio::use_awaitable);
  beast::get_lowest_layer(stream).expires_never();
}

}  // namespace

asio::awaitable<void> serve_watch(std::shared_ptr<TlsStream> stream, WatchStream watch,
                                  const WatchHub& hub,
                                  std::chrono::milliseconds bookmark_interval) {
  auto& socket = beast::get_lowest_layer(*stream);
  auto state = std::make_shared<WatchState>(co_await asio::this_coro::executor);
  Watcher& watcher = *watch.watcher;
  watcher.set_wakeup([weak = std::weak_ptr<WatchState>(state)] {
    if (auto s = weak.lock()) {
      s->wake.cancel();
    }
  });
  try {
    http::response<http::empty_body> header{http::status::ok, 11};
    header.set(http::field::content_type, "application/json");
    header.set(http::field::cache_control, "no-cache, private");
    header.chunked(true);
    http::response_serializer<http::empty_body> serializer{header};
    socket.expires_after(kWriteTimeout);
    co_await http::async_write_header(*stream, serializer, asio::use_awaitable);
    socket.expires_never();
    asio::co_spawn(co_await asio::this_coro::executor, detect_close(stream, state), asio::detached);

    const auto start = Clock::now();
    const auto deadline =
        watch.timeout ? start + *watch.timeout : start + std::chrono::hours(24 * 365);
    auto next_bookmark = start + bookmark_interval;
    for (;;) {
      while (watcher.has_pending()) {
        co_await write_chunk(*stream, watcher.pop());
      }
      if (watcher.dropped() || state->client_gone) {
        break;  // abrupt: no final chunk
      }
      const auto now = Clock::now();
      const bool timed_out = now >= deadline;
      if (watcher.finished() || timed_out) {
        if (timed_out && watch.bookmarks) {
          // kube-apiserver bookmarks right before a watch times out, so the client resumes
          // from the newest revision.
          co_await write_chunk(*stream, hub.bookmark_line(watcher));
        }
        socket.expires_after(kWriteTimeout);
        co_await asio::async_write(*stream, http::make_chunk_last(), asio::use_awaitable);
        break;
      }
      if (watch.bookmarks && now >= next_bookmark) {
        co_await write_chunk(*stream, hub.bookmark_line(watcher));
        next_bookmark = now + bookmark_interval;
        continue;
      }
      state->wake.expires_at(watch.bookmarks ? std::min(deadline, next_bookmark) : deadline);
      boost::system::error_code ec;
      co_await state->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
  } catch (const boost::system::system_error& e) {
    KR_V(2, "watch on {} ended: {}", watcher.type().plural, e.code().message());
  } catch (const std::exception& e) {
    KR_ERROR("watch on {} failed: {}", watcher.type().plural, e.what());
  }

  watcher.set_wakeup(nullptr);
  // Closing the socket also completes detect_close's pending read.
  boost::system::error_code ignored;
  socket.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket.close();
}

}  // namespace kr::apiserver_lite
