#include "watch_hub.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "api_error.h"
#include "object_meta.h"

namespace kr::apiserver_lite {
namespace json = boost::json;

namespace {

std::string event_line(std::string_view type, const json::object& object) {
  return R"({"type":")" + std::string(type) + R"(","object":)" + json::serialize(object) + "}\n";
}

std::string error_line(const ApiError& error) {
  return R"({"type":"ERROR","object":)" + status_json(error) + "}\n";
}

json::object bookmark_object(const ResourceType& type, uint64_t rv, bool initial_events_end) {
  json::object metadata;
  metadata["resourceVersion"] = std::to_string(rv);
  if (initial_events_end) {
    // Tells a client-go reflector using the streaming list that the initial state is complete.
    json::object annotations;
    annotations["k8s.io/initial-events-end"] = "true";
    metadata["annotations"] = std::move(annotations);
  }
  json::object object;
  object["kind"] = type.kind;
  object["apiVersion"] = type.api_version();
  object["metadata"] = std::move(metadata);
  return object;
}

}  // namespace

void Watcher::push(std::string line) {
  pending_.push_back(std::move(line));
  if (wakeup_) {
    wakeup_();
  }
}

void Watcher::deliver(const StoreEvent& event) {
  if (event.resource != &type_ || event.resource_version <= after_rv_ || finished_ || dropped_) {
    return;
  }
  // cacheWatcher.convertToWatchEvent: compare the old and new states against the selection.
  const bool now_matches = event.type != EventType::kDeleted && selection_.matches(*event.object);
  const bool matched_before = event.previous && selection_.matches(*event.previous);
  switch (event.type) {
    case EventType::kAdded:
      if (now_matches) {
        push(event_line("ADDED", *event.object));
      }
      break;
    case EventType::kModified:
      if (now_matches) {
        push(event_line(matched_before ? "MODIFIED" : "ADDED", *event.object));
      } else if (matched_before) {
        // Left the selection: DELETED with the old state at the new revision.
        json::object gone = *event.previous;
        mutable_metadata(gone)["resourceVersion"] = std::to_string(event.resource_version);
        push(event_line("DELETED", gone));
      }
      break;
    case EventType::kDeleted:
      if (matched_before) {
        push(event_line("DELETED", *event.object));
      }
      break;
  }
}

WatchHub::WatchHub(Store& store) : store_(store) {
  store_.set_observer([this](const StoreEvent& event) { dispatch(event); });
}

std::shared_ptr<Watcher> WatchHub::start(const ResourceType& type, Selection selection,
                                         const ListOptions& options) {
  auto watcher = std::make_shared<Watcher>(type, std::move(selection));
  // Without sendInitialEvents, an unset or "0" resourceVersion means "current state first"
  // (kept for compatibility upstream); with it, the parameter decides.
  const bool from_now = !options.resource_version || *options.resource_version == 0;
  const bool initial_state = options.send_initial_events.value_or(from_now);
  if (initial_state) {
    const std::string prefix = watcher->selection_.ns.empty() ? "" : watcher->selection_.ns + "/";
    for (const auto& [key, object] : store_.snapshot(type, prefix, 0)) {
      if (watcher->selection_.matches(*object)) {
        watcher->push(event_line("ADDED", *object));
      }
    }
    if (options.send_initial_events.value_or(false)) {
      watcher->push(event_line("BOOKMARK", bookmark_object(type, store_.current_rv(), true)));
    }
  } else if (from_now) {
    watcher->after_rv_ = store_.current_rv();
  } else {
    const uint64_t since = *options.resource_version;
    // A watch from a revision the store has not reached yet starts there, not now.
    watcher->after_rv_ = since;
    try {
      store_.for_each_event_since(since, [&](const StoreEvent& event) { watcher->deliver(event); });
    } catch (const RevisionCompacted& compacted) {
      // The watch cache's answer: 200, then one ERROR event with a 410 Expired Status.
      watcher->push(error_line(expired("too old resource version: " + std::to_string(since) + " (" +
                                       std::to_string(compacted.compacted_rv) + ")")));
      watcher->finished_ = true;
      return watcher;
    }
  }
  watchers_.push_back(watcher);
  return watcher;
}

std::string WatchHub::bookmark_line(const Watcher& watcher) const {
  return event_line("BOOKMARK", bookmark_object(watcher.type(), store_.current_rv(), false));
}

void WatchHub::dispatch(const StoreEvent& event) {
  for (const auto& watcher : live()) {
    watcher->deliver(event);
  }
}

std::vector<std::shared_ptr<Watcher>> WatchHub::live() {
  std::erase_if(watchers_, [](const std::weak_ptr<Watcher>& weak) { return weak.expired(); });
  std::vector<std::shared_ptr<Watcher>> result;
  for (const auto& weak : watchers_) {
    if (auto strong = weak.lock()) {
      result.push_back(std::move(strong));
    }
  }
  return result;
}

void WatchHub::drop_all() {
  for (const auto& watcher : live()) {
    watcher->dropped_ = true;
    if (watcher->wakeup_) {
      watcher->wakeup_();
    }
  }
  watchers_.clear();
}

void WatchHub::finish_all() {
  for (const auto& watcher : live()) {
    watcher->finished_ = true;
    if (watcher->wakeup_) {
      watcher->wakeup_();
    }
  }
  watchers_.clear();
}

size_t WatchHub::open_watches() { return live().size(); }

}  // namespace kr::apiserver_lite
