// One informer per kind: the cache a reflector fills from LIST/WATCH, plus event handlers.
//
// The reflector (reflector.cpp) parses the API server's JSON and hands each object to the
// informer through ObjectSink; the informer decodes it, updates the Store and calls the
// handlers. All of that happens on the io_context thread, so handlers run there too and should
// only note the change (mark their controller dirty). Controllers read the cache through
// snapshot() from any thread.
//
// Bad objects: an object that does not decode is skipped, logged once per resourceVersion and
// counted in decode_errors_total; a previously cached good version stays in the cache (the
// last good state), and the other objects keep flowing.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "k8s/metrics.h"
#include "k8s/objects.h"
#include "k8s/store.h"

namespace boost::asio {
class io_context;
}
namespace boost::json {
class object;
}

namespace kr::k8s {

enum class WatchEventType { kAdded, kModified, kDeleted };

// What a reflector feeds. A LIST is begin_list, list_item per item (page by page), then
// end_list (or abort_list if a page failed); a WATCH is a series of watch_event calls.
class ObjectSink {
 public:
  virtual ~ObjectSink() = default;
  virtual std::string_view kind() const = 0;
  virtual void begin_list() = 0;
  virtual void list_item(const boost::json::object& item) = 0;
  virtual void end_list() = 0;
  virtual void abort_list() = 0;
  virtual void watch_event(WatchEventType type, const boost::json::object& object) = 0;
};

template <class T>
struct EventHandlers {
  using Ptr = std::shared_ptr<const T>;
  std::function<void(const Ptr& added)> on_add;
  std::function<void(const Ptr& old, const Ptr& now)> on_update;
  std::function<void(const Ptr& deleted)> on_delete;
};

// Runs fn on the io_context's thread (boost::asio::post), keeping Asio out of this header.
void post_to(boost::asio::io_context& io, std::function<void()> fn);

template <class T>
class Informer final : public ObjectSink {
 public:
  using Ptr = std::shared_ptr<const T>;

  Informer(boost::asio::io_context& io, KindMetrics& metrics,
           typename Store<T>::IndexFn index = nullptr)
      : io_(io), metrics_(metrics), store_(index) {}

  // An immutable view of the cache; cheap, callable from any thread.
  Snapshot<T> snapshot() const { return store_.snapshot(); }

  // True once the first LIST has been applied.
  bool has_synced() const { return synced_.load(std::memory_order_acquire); }

  // Registers handlers (from any thread). They are called for every later change and, first,
  // with on_add for every object already cached, as client-go does for late handlers.
  void add_handlers(EventHandlers<T> handlers);

  // Called once, on the io_context thread, when the first LIST has been applied.
  void set_on_synced(std::function<void()> fn) { on_synced_ = std::move(fn); }

  std::string_view kind() const override;
  void begin_list() override;
  void list_item(const boost::json::object& item) override;
  void end_list() override;
  void abort_list() override;
  void watch_event(WatchEventType type, const boost::json::object& object) override;

 private:
  void apply_upsert(Ptr now);
  void notify_add(const Ptr& p);
  void notify_update(const Ptr& old, const Ptr& now);
  void notify_delete(const Ptr& p);
  // Logs and counts a bad object version once; key may be empty if even metadata is bad.
  void record_malformed(const std::string& key, const std::string& resource_version,
                        const std::string& message);
  void update_gauge() { metrics_.objects_cached.store(static_cast<int64_t>(store_.size())); }

  boost::asio::io_context& io_;
  KindMetrics& metrics_;
  Store<T> store_;
  std::atomic<bool> synced_{false};
  std::function<void()> on_synced_;
  // io_context thread only from here on.
  std::vector<EventHandlers<T>> handlers_;
  std::vector<Ptr> staged_;                                 // decoded items of the LIST in progress
  std::unordered_set<std::string> staged_malformed_;        // keys of bad items in that LIST
  std::unordered_map<std::string, std::string> malformed_;  // key -> bad resourceVersion
};

extern template class Informer<Pod>;
extern template class Informer<Node>;
extern template class Informer<Namespace>;
extern template class Informer<Service>;
extern template class Informer<EndpointSlice>;
extern template class Informer<NetworkPolicy>;

}  // namespace kr::k8s
