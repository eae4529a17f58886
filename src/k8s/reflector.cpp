#include "k8s/reflector.h"

#include <fmt/format.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <random>

#include "base/log.h"
#include "k8s/list_page.h"

namespace kr::k8s {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// Percent-encodes a query value (RFC 3986 §2.1): continue tokens are base64 with '+', '/', '='.
std::string query_escape(std::string_view in) {
  std::string out;
  for (const char c : in) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

std::string_view string_at(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) {
    return {};
  }
  return {v->get_string().data(), v->get_string().size()};
}

const json::object* object_at(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}

std::string_view metadata_string(const json::object& o, std::string_view key) {
  const json::object* meta = object_at(o, "metadata");
  return meta == nullptr ? std::string_view() : string_at(*meta, key);
}

// The "message" of a Status body, or the start of whatever the body is.
std::string status_message(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (!ec && v.is_object()) {
    if (std::string_view m = string_at(v.get_object(), "message"); !m.empty()) {
      return std::string(m);
    }
  }
  return body.substr(0, 200);
}

uint64_t random_seed() {
  std::random_device rd;
  return (static_cast<uint64_t>(rd()) << 32) ^ rd();
}

}  // namespace

Reflector::Reflector(asio::io_context& io, std::shared_ptr<RestTransport> transport,
                     std::string collection, std::shared_ptr<ObjectSink> sink, KindMetrics& metrics,
                     ReflectorOptions options)
    : io_(io),
      transport_(std::move(transport)),
      collection_(std::move(collection)),
      sink_(std::move(sink)),
      metrics_(metrics),
      options_(options),
      backoff_(options.backoff, random_seed()),
      timer_(io),
      cancel_(std::make_shared<StreamCancel>()) {}

void Reflector::start() {
  asio::co_spawn(io_, run(), [kind = std::string(sink_->kind())](const std::exception_ptr& e) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        KR_ERROR("{} reflector stopped by an unexpected error: {}", kind, ex.what());
      }
    }
  });
}

void Reflector::stop() {
  asio::post(io_, [self = shared_from_this()] {
    self->stopped_ = true;
    self->timer_.cancel();
    self->cancel_->cancelled = true;
    if (self->cancel_->close) {
      self->cancel_->close();
    }
  });
}

asio::awaitable<void> Reflector::run() {
  auto self = shared_from_this();  // alive until the loop ends
  bool need_list = true;
  while (!stopped_) {
    if (need_list) {
      if (!co_await list()) {
        if (!stopped_) {
          co_await sleep(backoff_.next());
        }
        continue;
      }
      need_list = false;
    }
    const WatchEnd end = co_await watch();
    if (stopped_) {
      break;
    }
    metrics_.watch_restarts_total.fetch_add(1, std::memory_order_relaxed);
    switch (end) {
      case WatchEnd::kTimedOut:
        break;  // re-watch at once from the same resourceVersion
      case WatchEnd::kGone:
        // The resourceVersion fell out of the server's history: only a new LIST can tell
        // what changed in between (the sink diffs it against the cache).
        KR_INFO("{} watch: resourceVersion {} expired (410 Gone), relisting", sink_->kind(),
                resource_version_);
        metrics_.relists_total.fetch_add(1, std::memory_order_relaxed);
        need_list = true;
        break;
      case WatchEnd::kFailed:
        co_await sleep(backoff_.next());
        break;
    }
  }
}

asio::awaitable<bool> Reflector::list() {
  const auto started = std::chrono::steady_clock::now();
  sink_->begin_list();
  std::string continue_token;
  std::string resource_version;
  do {
    std::string target = fmt::format("{}?limit={}", collection_, options_.page_size);
    if (!continue_token.empty()) {
      target += "&continue=" + query_escape(continue_token);
    }
    HttpResponse response = co_await transport_->request(Method::kGet, std::move(target));
    if (stopped_) {
      sink_->abort_list();
      co_return false;
    }
    if (response.status != 200) {
      // A 410 here means the continue token expired; the retry starts a fresh LIST.
      report("list", response);
      sink_->abort_list();
      co_return false;
    }
    const ListPage page = feed_list_page(response.body, *sink_, metrics_);
    if (!page.ok) {
      KR_WARN("{} list: undecodable response: {}", sink_->kind(), page.error);
      sink_->abort_list();
      co_return false;
    }
    continue_token = page.continue_token;
    resource_version = page.resource_version;
  } while (!continue_token.empty());
  sink_->end_list();
  resource_version_ = resource_version;
  report_ok();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_.last_list_seconds.store(seconds, std::memory_order_relaxed);
  metrics_.list_seconds_total.fetch_add(seconds, std::memory_order_relaxed);
  metrics_.lists_total.fetch_add(1, std::memory_order_relaxed);
  backoff_.reset();
  co_return true;
}

asio::awaitable<Reflector::WatchEnd> Reflector::watch() {
  std::uniform_int_distribution<int64_t> spread(options_.min_watch_timeout.count(),
                                                2 * options_.min_watch_timeout.count() - 1);
  static thread_local std::mt19937_64 rng(random_seed());
  const int64_t timeout_seconds = std::max<int64_t>(1, spread(rng));
  const std::string target =
      fmt::format("{}?watch=true&allowWatchBookmarks=true&resourceVersion={}&timeoutSeconds={}",
                  collection_, query_escape(resource_version_), timeout_seconds);

  bool gone = false;
  bool broken = false;  // the stream carried something that is not a watch event
  std::string error_event;
  uint64_t events = 0;
  const auto on_line = [&](std::string_view line) {
    if (gone || broken || !error_event.empty()) {
      return;  // the connection is being closed; ignore what is still buffered
    }
    unsigned char scratch[8192];  // most events fit; larger ones spill to the heap
    json::monotonic_resource arena(scratch, sizeof scratch);
    boost::system::error_code ec;
    json::value v = json::parse(line, ec, &arena);
    const json::object* event = !ec && v.is_object() ? &v.get_object() : nullptr;
    const json::object* object = event != nullptr ? object_at(*event, "object") : nullptr;
    if (object == nullptr) {
      KR_WARN("{} watch: undecodable event, restarting the watch", sink_->kind());
      broken = true;
    } else {
      const std::string_view type = string_at(*event, "type");
      if (type == "ERROR") {
        const json::value* code = object->if_contains("code");
        if (code != nullptr && code->is_int64() && code->get_int64() == 410) {
          gone = true;
        } else {
          error_event = std::string(string_at(*object, "message"));
          if (error_event.empty()) {
            error_event = "ERROR event without message";
          }
        }
      } else if (type == "ADDED" || type == "MODIFIED" || type == "DELETED") {
        sink_->watch_event(type == "ADDED"      ? WatchEventType::kAdded
                           : type == "MODIFIED" ? WatchEventType::kModified
                                                : WatchEventType::kDeleted,
                           *object);
      } else if (type != "BOOKMARK") {
        KR_WARN("{} watch: unknown event type \"{}\", restarting the watch", sink_->kind(), type);
        broken = true;
      }
      if (!broken && (type != "ERROR")) {
        if (std::string_view rv = metadata_string(*object, "resourceVersion"); !rv.empty()) {
          resource_version_ = rv;
        }
        ++events;
      }
    }
    if ((gone || broken || !error_event.empty()) && cancel_->close) {
      cancel_->close();
    }
  };

  const auto started = std::chrono::steady_clock::now();
  const auto idle = std::chrono::seconds(timeout_seconds) + std::chrono::seconds(60);
  StreamResult result = co_await transport_->stream_lines(target, on_line, idle, cancel_);
  if (stopped_) {
    co_return WatchEnd::kFailed;
  }
  const HttpResponse& response = result.response;
  if (response.status == 410 || gone) {
    co_return WatchEnd::kGone;
  }
  if (response.status != 200) {
    report("watch", response);
    co_return WatchEnd::kFailed;
  }
  report_ok();
  if (events > 0) {
    backoff_.reset();  // the connection worked; a later failure starts from a short delay
  }
  if (!error_event.empty()) {
    KR_WARN("{} watch ended with an error event: {}", sink_->kind(), error_event);
    co_return WatchEnd::kFailed;
  }
  if (broken) {
    co_return WatchEnd::kFailed;
  }
  if (!result.ended_cleanly) {
    KR_WARN("{} watch dropped: {}; resuming from resourceVersion {}", sink_->kind(), response.error,
            resource_version_);
    co_return WatchEnd::kFailed;
  }
  if (events == 0 && std::chrono::steady_clock::now() - started < std::chrono::seconds(1)) {
    // A server that ends every watch at once must not make us spin.
    KR_WARN("{} watch ended immediately without events", sink_->kind());
    co_return WatchEnd::kFailed;
  }
  co_return WatchEnd::kTimedOut;
}

asio::awaitable<void> Reflector::sleep(std::chrono::milliseconds d) {
  timer_.expires_after(d);
  co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
}

void Reflector::report(std::string_view verb, const HttpResponse& response) {
  if (response.status == 401 || response.status == 403) {
    if (auth_failure_status_ != response.status) {
      auth_failure_status_ = response.status;
      KR_ERROR("{} {} of {}: HTTP {} ({}); check RBAC / credentials. Retrying with backoff",
               sink_->kind(), verb, collection_, response.status, status_message(response.body));
    }
    return;
  }
  if (response.status == 0) {
    KR_WARN("{} {} of {} failed: {}", sink_->kind(), verb, collection_, response.error);
  } else {
    KR_WARN("{} {} of {} failed: HTTP {}: {}", sink_->kind(), verb, collection_, response.status,
            status_message(response.body));
  }
}

void Reflector::report_ok() {
  if (auth_failure_status_ != 0) {
    KR_INFO("{}: access to {} restored", sink_->kind(), collection_);
    auth_failure_status_ = 0;
  }
}

}  // namespace kr::k8s
