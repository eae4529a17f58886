#include "k8s/informer.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <exception>

#include "base/log.h"
#include "k8s/decode.h"
#include "k8s/resources.h"

namespace kr::k8s {

void post_to(boost::asio::io_context& io, std::function<void()> fn) {
  boost::asio::post(io, std::move(fn));
}

namespace {

// A handler that throws must not stop the informer (or the other handlers).
template <class Fn, class... Args>
void call_handler(std::string_view kind, const char* what, const Fn& fn, const Args&... args) {
  if (!fn) {
    return;
  }
  try {
    fn(args...);
  } catch (const std::exception& e) {
    KR_ERROR("{} {} handler failed: {}", kind, what, e.what());
  }
}

}  // namespace

template <class T>
std::string_view Informer<T>::kind() const {
  return Resource<T>::kKind;
}

template <class T>
void Informer<T>::add_handlers(EventHandlers<T> handlers) {
  post_to(io_, [this, h = std::move(handlers)]() mutable {
    handlers_.push_back(std::move(h));
    const EventHandlers<T>& added = handlers_.back();
    for (const Ptr& p : store_.snapshot().list()) {
      call_handler(kind(), "add", added.on_add, p);
    }
  });
}

template <class T>
void Informer<T>::begin_list() {
  staged_.clear();
  staged_malformed_.clear();
}

template <class T>
void Informer<T>::list_item(const boost::json::object& item) {
  try {
    staged_.push_back(std::make_shared<const T>(decode<T>(item)));
  } catch (const DecodeError& e) {
    std::string key;
    std::string rv;
    try {
      ObjectMeta meta = decode_meta(item);
      key = meta.key();
      rv = meta.resource_version;
      staged_malformed_.insert(key);
    } catch (const DecodeError&) {
      // Without a usable name the item can only be counted.
    }
    record_malformed(key, rv, e.what());
  }
}

template <class T>
void Informer<T>::end_list() {
  const Snapshot<T> old = store_.snapshot();
  std::vector<Ptr> next = std::move(staged_);
  staged_.clear();
  // A bad new version of a cached object keeps the cached (last good) version.
  for (const std::string& key : staged_malformed_) {
    const size_t slash = key.find('/');
    const std::string_view ns =
        slash == std::string::npos ? "" : std::string_view(key).substr(0, slash);
    const std::string_view name = slash == std::string::npos
                                      ? std::string_view(key)
                                      : std::string_view(key).substr(slash + 1);
    if (Ptr kept = old.get(ns, name)) {
      next.push_back(std::move(kept));
    }
  }
  // Forget bad versions of objects that are gone or good again.
  std::erase_if(malformed_,
                [&](const auto& entry) { return !staged_malformed_.contains(entry.first); });
  staged_malformed_.clear();

  // Diff against the previous cache: an unchanged resourceVersion keeps the cached pointer and
  // raises no event; a changed uid is a delete followed by an add (the object was re-created).
  struct Change {
    Ptr old;
    Ptr now;
  };
  std::vector<Change> changes;
  for (Ptr& p : next) {
    Ptr prev = old.get(p->meta.namespace_.view(), p->meta.name);
    if (!prev) {
      changes.push_back({nullptr, p});
    } else if (prev == p) {
      continue;
    } else if (prev->meta.uid_hash != p->meta.uid_hash) {
      changes.push_back({prev, nullptr});
      changes.push_back({nullptr, p});
    } else if (prev->meta.resource_version != p->meta.resource_version) {
      changes.push_back({prev, p});
    } else {
      p = std::move(prev);
    }
  }
  store_.replace(next);
  const Snapshot<T> now = store_.snapshot();
  std::vector<Ptr> gone;
  old.for_each([&](const Ptr& p) {
    if (!now.get(p->meta.namespace_.view(), p->meta.name)) {
      gone.push_back(p);
    }
  });
  update_gauge();
  for (const Ptr& p : gone) {
    notify_delete(p);
  }
  for (const Change& c : changes) {
    if (c.old && c.now) {
      notify_update(c.old, c.now);
    } else if (c.now) {
      notify_add(c.now);
    } else {
      notify_delete(c.old);
    }
  }
  if (!synced_.exchange(true, std::memory_order_acq_rel) && on_synced_) {
    on_synced_();
  }
}

template <class T>
void Informer<T>::abort_list() {
  staged_.clear();
  staged_malformed_.clear();
}

template <class T>
void Informer<T>::watch_event(WatchEventType type, const boost::json::object& object) {
  if (type == WatchEventType::kDeleted) {
    ObjectMeta meta;
    try {
      meta = decode_meta(object);
    } catch (const DecodeError& e) {
      record_malformed({}, {}, e.what());
      return;
    }
    malformed_.erase(meta.key());
    if (Ptr old = store_.erase(meta.namespace_.view(), meta.name)) {
      update_gauge();
      notify_delete(old);
    }
    return;
  }
  try {
    Ptr now = std::make_shared<const T>(decode<T>(object));
    malformed_.erase(now->meta.key());
    apply_upsert(std::move(now));
  } catch (const DecodeError& e) {
    std::string key;
    std::string rv;
    try {
      ObjectMeta meta = decode_meta(object);
      key = meta.key();
      rv = meta.resource_version;
    } catch (const DecodeError&) {
    }
    record_malformed(key, rv, e.what());
  }
}

template <class T>
void Informer<T>::apply_upsert(Ptr now) {
  Ptr old = store_.upsert(now);
  update_gauge();
  if (!old) {
    notify_add(now);
  } else if (old->meta.uid_hash != now->meta.uid_hash) {
    notify_delete(old);
    notify_add(now);
  } else if (old->meta.resource_version != now->meta.resource_version) {
    notify_update(old, now);
  }
}

template <class T>
void Informer<T>::notify_add(const Ptr& p) {
  for (const EventHandlers<T>& h : handlers_) {
    call_handler(kind(), "add", h.on_add, p);
  }
}

template <class T>
void Informer<T>::notify_update(const Ptr& old, const Ptr& now) {
  for (const EventHandlers<T>& h : handlers_) {
    call_handler(kind(), "update", h.on_update, old, now);
  }
}

template <class T>
void Informer<T>::notify_delete(const Ptr& p) {
  for (const EventHandlers<T>& h : handlers_) {
    call_handler(kind(), "delete", h.on_delete, p);
  }
}

template <class T>
void Informer<T>::record_malformed(const std::string& key, const std::string& resource_version,
                                   const std::string& message) {
  if (!key.empty()) {
    auto [it, inserted] = malformed_.try_emplace(key, resource_version);
    if (!inserted && it->second == resource_version) {
      return;  // this version was already reported
    }
    it->second = resource_version;
  }
  metrics_.decode_errors_total.fetch_add(1, std::memory_order_relaxed);
  KR_ERROR("skipping malformed {}: {}", kind(), message);
}

template class Informer<Pod>;
template class Informer<Node>;
template class Informer<Namespace>;
template class Informer<Service>;
template class Informer<EndpointSlice>;
template class Informer<NetworkPolicy>;

}  // namespace kr::k8s
