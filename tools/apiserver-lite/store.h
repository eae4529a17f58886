// In-memory object store with etcd-like revisions: one global, monotonic resourceVersion for
// every write, a bounded history of changes (the "watch window"), and snapshots of any revision
// still inside that window. Knows nothing about API semantics; registry.cpp does.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

#include "resource_types.h"

namespace kr::apiserver_lite {

using ObjectPtr = std::shared_ptr<const boost::json::object>;

enum class EventType { kAdded, kModified, kDeleted };

struct StoreEvent {
  EventType type;
  const ResourceType* resource;
  std::string key;
  // New state; for kDeleted the last state with metadata.resourceVersion set to the deletion's
  // revision (what a DELETED watch event carries).
  ObjectPtr object;
  ObjectPtr previous;  // state before the change; null for kAdded
  uint64_t resource_version;
};

// A revision older than the retained history was requested.
class RevisionCompacted : public std::runtime_error {
 public:
  explicit RevisionCompacted(uint64_t compacted)
      : std::runtime_error("required revision has been compacted"), compacted_rv(compacted) {}
  uint64_t compacted_rv;
};

class Store {
 public:
  // history_limit: how many changes are kept for watch replay and old snapshots.
  explicit Store(size_t history_limit);

  uint64_t current_rv() const { return current_rv_; }
  // Every change after this revision is still in the history; revisions before it are gone.
  uint64_t compacted_rv() const { return compacted_rv_; }

  ObjectPtr get(const ResourceType& type, const std::string& key) const;

  using Snapshot = std::map<std::string, ObjectPtr>;
  // Objects of `type` whose key starts with `key_prefix`, sorted by key, as they were at
  // revision `rv` (0 means now). Throws RevisionCompacted when rv < compacted_rv().
  Snapshot snapshot(const ResourceType& type, std::string_view key_prefix, uint64_t rv) const;

  // Creates or replaces the object at `key` under a new revision, which is written into
  // metadata.resourceVersion. Returns the stored object.
  ObjectPtr put(const ResourceType& type, const std::string& key, boost::json::object object);
  // Removes the object (must exist) under a new revision; returns the DELETED event's object.
  ObjectPtr remove(const ResourceType& type, const std::string& key);

  // Forgets all history: every revision before now becomes too old (etcd compaction).
  void compact();

  // Calls `visit` for each retained change after revision `since`, oldest first. Throws
  // RevisionCompacted when changes after `since` have been dropped.
  void for_each_event_since(uint64_t since,
                            const std::function<void(const StoreEvent&)>& visit) const;

  // Receives every change right after it is applied (the watch hub).
  void set_observer(std::function<void(const StoreEvent&)> observer) {
    observer_ = std::move(observer);
  }

 private:
  void record(StoreEvent event);

  size_t history_limit_;
  uint64_t current_rv_ = 0;
  uint64_t compacted_rv_ = 0;
  // Keyed by ResourceType::qualified_plural().
  std::unordered_map<std::string, std::map<std::string, ObjectPtr>> objects_;
  std::deque<StoreEvent> history_;
  std::function<void(const StoreEvent&)> observer_;
};

}  // namespace kr::apiserver_lite
