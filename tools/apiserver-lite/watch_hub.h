// WATCH: per-request watchers fed from the store's change stream. A watcher turns store changes
// into the watch events its client should see (selectors applied, including the DELETED an
// object produces when it stops matching) and queues them as newline-terminated JSON lines.
// The transport (http_server) drains the queue; this file knows nothing about sockets or time.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "list_options.h"
#include "selection.h"
#include "store.h"

namespace kr::apiserver_lite {

class Watcher {
 public:
  Watcher(const ResourceType& type, Selection selection)
      : type_(type), selection_(std::move(selection)) {}

  const ResourceType& type() const { return type_; }
  bool has_pending() const { return !pending_.empty(); }
  std::string pop() {
    std::string line = std::move(pending_.front());
    pending_.pop_front();
    return line;
  }
  // The server ended the watch (an ERROR event was queued): drain, then close the stream cleanly.
  bool finished() const { return finished_; }
  // Fault injection asked for the connection to be cut without a clean end.
  bool dropped() const { return dropped_; }
  // Set by the transport: called whenever the state above changes.
  void set_wakeup(std::function<void()> wakeup) { wakeup_ = std::move(wakeup); }

 private:
  friend class WatchHub;
  void push(std::string line);
  void deliver(const StoreEvent& event);

  const ResourceType& type_;
  Selection selection_;
  uint64_t after_rv_ = 0;  // only changes after this revision are delivered
  std::deque<std::string> pending_;
  bool finished_ = false;
  bool dropped_ = false;
  std::function<void()> wakeup_;
};

class WatchHub {
 public:
  // Registers itself as the store's observer.
  explicit WatchHub(Store& store);

  // Starts a watch as kube-apiserver's watch cache does: with resourceVersion unset or "0" (or
  // sendInitialEvents=true) the current objects arrive first as synthetic ADDED events; from a
  // resourceVersion N, every retained change after N is replayed. A compacted N yields a 410
  // ERROR event. The returned watcher is already receiving live changes.
  std::shared_ptr<Watcher> start(const ResourceType& type, Selection selection,
                                 const ListOptions& options);

  // A BOOKMARK event line carrying only the current resourceVersion.
  std::string bookmark_line(const Watcher& watcher) const;

  // Cuts every open watch abruptly (fault injection) or ends them cleanly (shutdown).
  void drop_all();
  void finish_all();
  size_t open_watches();

 private:
  void dispatch(const StoreEvent& event);
  std::vector<std::shared_ptr<Watcher>> live();

  Store& store_;
  std::vector<std::weak_ptr<Watcher>> watchers_;
};

}  // namespace kr::apiserver_lite
