#include "store.h"

#include <boost/json/value.hpp>

#include "object_meta.h"

namespace kr::apiserver_lite {
namespace json = boost::json;

Store::Store(size_t history_limit) : history_limit_(history_limit > 0 ? history_limit : 1) {}

ObjectPtr Store::get(const ResourceType& type, const std::string& key) const {
  const auto bucket = objects_.find(type.qualified_plural());
  if (bucket == objects_.end()) {
    return nullptr;
  }
  const auto it = bucket->second.find(key);
  return it == bucket->second.end() ? nullptr : it->second;
}

Store::Snapshot Store::snapshot(const ResourceType& type, std::string_view key_prefix,
                                uint64_t rv) const {
  if (rv != 0 && rv < compacted_rv_) {
    throw RevisionCompacted(compacted_rv_);
  }
  Snapshot result;
  if (const auto bucket = objects_.find(type.qualified_plural()); bucket != objects_.end()) {
    for (auto it = bucket->second.lower_bound(std::string(key_prefix));
         it != bucket->second.end() && it->first.starts_with(key_prefix); ++it) {
      result.emplace(it->first, it->second);
    }
  }
  if (rv == 0) {
    return result;
  }
  // Undo, newest first, every change made after `rv`.
  for (auto it = history_.rbegin(); it != history_.rend() && it->resource_version > rv; ++it) {
    if (it->resource != &type || !it->key.starts_with(key_prefix)) {
      continue;
    }
    if (it->type == EventType::kAdded) {
      result.erase(it->key);
    } else {
      result[it->key] = it->previous;
    }
  }
  return result;
}

ObjectPtr Store::put(const ResourceType& type, const std::string& key, json::object object) {
  auto& bucket = objects_[type.qualified_plural()];
  const uint64_t rv = ++current_rv_;
  mutable_metadata(object)["resourceVersion"] = std::to_string(rv);
  auto stored = std::make_shared<const json::object>(std::move(object));
  ObjectPtr previous;
  if (auto it = bucket.find(key); it != bucket.end()) {
    previous = it->second;
    it->second = stored;
  } else {
    bucket.emplace(key, stored);
  }
  record({previous ? EventType::kModified : EventType::kAdded, &type, key, stored, previous, rv});
  return stored;
}

ObjectPtr Store::remove(const ResourceType& type, const std::string& key) {
  auto& bucket = objects_[type.qualified_plural()];
  const auto it = bucket.find(key);
  if (it == bucket.end()) {
    return nullptr;
  }
  const ObjectPtr previous = it->second;
  bucket.erase(it);
  const uint64_t rv = ++current_rv_;
  json::object last = *previous;
  mutable_metadata(last)["resourceVersion"] = std::to_string(rv);
  auto deleted = std::make_shared<const json::object>(std::move(last));
  record({EventType::kDeleted, &type, key, deleted, previous, rv});
  return deleted;
}

void Store::compact() {
  history_.clear();
  compacted_rv_ = current_rv_;
}

void Store::for_each_event_since(uint64_t since,
                                 const std::function<void(const StoreEvent&)>& visit) const {
  if (since < compacted_rv_) {
    throw RevisionCompacted(compacted_rv_);
  }
  for (const auto& event : history_) {
    if (event.resource_version > since) {
      visit(event);
    }
  }
}

void Store::record(StoreEvent event) {
  history_.push_back(std::move(event));
  while (history_.size() > history_limit_) {
    compacted_rv_ = history_.front().resource_version;
    history_.pop_front();
  }
  if (observer_) {
    observer_(history_.back());
  }
}

}  // namespace kr::apiserver_lite
