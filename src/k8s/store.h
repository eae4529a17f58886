// The informer cache: immutable objects keyed by namespace/name, with cheap immutable snapshots.
//
// Objects are split over kShards shards by key hash; each shard is an immutable sorted vector
// held by shared_ptr. A change copies one shard (about n/64 pointers) and swaps it in, so a
// Snapshot is just the array of shard pointers: taking one costs 2*kShards reference counts,
// and a controller may keep it as long as it likes while the cache moves on. Only the informer
// (on the io_context thread) mutates a Store; snapshot() may be called from any thread.
//
// An optional secondary index maps a string computed from an object (for EndpointSlices
// "<namespace>/<kubernetes.io/service-name label>") to the objects carrying it; objects whose
// index function returns "" are not indexed.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "k8s/objects.h"

namespace kr::k8s {

namespace store_detail {

inline constexpr size_t kShards = 64;

inline uint64_t fnv1a(uint64_t h, std::string_view s) {
  for (const char c : s) {
    h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  }
  return h;
}
inline constexpr uint64_t kFnvBasis = 14695981039346656037ull;
inline size_t shard_of(std::string_view ns, std::string_view name) {
  return fnv1a(fnv1a(kFnvBasis, ns), name) % kShards;
}
inline size_t index_shard_of(std::string_view index_key) {
  return fnv1a(kFnvBasis, index_key) % kShards;
}

template <class T>
bool less(const std::shared_ptr<const T>& a, std::string_view ns, std::string_view name) {
  const int c = a->meta.namespace_.view().compare(ns);
  return c < 0 || (c == 0 && a->meta.name < name);
}

template <class T>
bool has_key(const std::shared_ptr<const T>& a, std::string_view ns, std::string_view name) {
  return a->meta.namespace_ == ns && a->meta.name == name;
}

// Position of (ns, name) in a shard sorted by namespace/name.
template <class Shard>
auto find_in(Shard& shard, std::string_view ns, std::string_view name) {
  return std::lower_bound(shard.begin(), shard.end(), std::pair{ns, name},
                          [](const auto& p, const auto& k) { return less(p, k.first, k.second); });
}

template <class T>
struct IndexEntry {
  std::string index_key;
  std::shared_ptr<const T> object;
};

template <class T>
bool index_less(const IndexEntry<T>& a, const IndexEntry<T>& b) {
  if (a.index_key != b.index_key) {
    return a.index_key < b.index_key;
  }
  return less(a.object, b.object->meta.namespace_.view(), b.object->meta.name);
}

}  // namespace store_detail

template <class T>
class Store;

template <class T>
class Snapshot {
 public:
  using Ptr = std::shared_ptr<const T>;

  // nullptr when absent. For cluster-scoped kinds the namespace is "".
  Ptr get(std::string_view ns, std::string_view name) const {
    const auto& shard = shards_[store_detail::shard_of(ns, name)];
    if (!shard) {
      return nullptr;
    }
    auto it = store_detail::find_in(*shard, ns, name);
    return it != shard->end() && store_detail::has_key(*it, ns, name) ? *it : nullptr;
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // Calls fn(const Ptr&) for every object, in no particular order.
  template <class Fn>
  void for_each(Fn&& fn) const {
    for (const auto& shard : shards_) {
      if (shard) {
        for (const Ptr& p : *shard) {
          fn(p);
        }
      }
    }
  }

  // Every object, sorted by namespace then name.
  std::vector<Ptr> list() const {
    std::vector<Ptr> out;
    out.reserve(size_);
    for_each([&](const Ptr& p) { out.push_back(p); });
    std::sort(out.begin(), out.end(), [](const Ptr& a, const Ptr& b) {
      return store_detail::less(a, b->meta.namespace_.view(), b->meta.name);
    });
    return out;
  }

  // Objects whose index key equals `index_key`, sorted by namespace/name.
  std::vector<Ptr> indexed(std::string_view index_key) const {
    std::vector<Ptr> out;
    const auto& shard = index_shards_[store_detail::index_shard_of(index_key)];
    if (!shard) {
      return out;
    }
    auto it = std::lower_bound(
        shard->begin(), shard->end(), index_key,
        [](const store_detail::IndexEntry<T>& e, std::string_view k) { return e.index_key < k; });
    for (; it != shard->end() && it->index_key == index_key; ++it) {
      out.push_back(it->object);
    }
    return out;
  }

 private:
  friend class Store<T>;
  using Shard = std::vector<Ptr>;
  using IndexShard = std::vector<store_detail::IndexEntry<T>>;
  std::array<std::shared_ptr<const Shard>, store_detail::kShards> shards_;
  std::array<std::shared_ptr<const IndexShard>, store_detail::kShards> index_shards_;
  size_t size_ = 0;
};

template <class T>
class Store {
 public:
  using Ptr = std::shared_ptr<const T>;
  using IndexFn = std::string (*)(const T&);

  explicit Store(IndexFn index = nullptr) : index_(index) {}

  Snapshot<T> snapshot() const {
    std::lock_guard lock(mutex_);
    return current_;
  }

  size_t size() const {
    std::lock_guard lock(mutex_);
    return current_.size_;
  }

  // Inserts or replaces the object with the same namespace/name; returns the previous one.
  Ptr upsert(Ptr object) {
    const size_t s = store_detail::shard_of(object->meta.namespace_.view(), object->meta.name);
    auto shard = copy_shard(s);
    auto it = store_detail::find_in(*shard, object->meta.namespace_.view(), object->meta.name);
    Ptr old;
    if (it != shard->end() &&
        store_detail::has_key(*it, object->meta.namespace_.view(), object->meta.name)) {
      old = std::exchange(*it, object);
    } else {
      shard->insert(it, object);
    }
    publish(s, std::move(shard), old ? 0 : 1);
    reindex(old, object);
    return old;
  }

  // Removes the object; returns it, or nullptr if it was not cached.
  Ptr erase(std::string_view ns, std::string_view name) {
    const size_t s = store_detail::shard_of(ns, name);
    const auto& cur = current_.shards_[s];  // only this thread writes current_
    if (!cur) {
      return nullptr;
    }
    const auto pos = store_detail::find_in(*cur, ns, name);
    if (pos == cur->end() || !store_detail::has_key(*pos, ns, name)) {
      return nullptr;
    }
    const auto offset = pos - cur->begin();
    auto shard = std::make_shared<Shard>(*cur);
    Ptr old = std::move((*shard)[offset]);
    shard->erase(shard->begin() + offset);
    publish(s, std::move(shard), -1);
    reindex(old, nullptr);
    return old;
  }

  // Replaces the whole content (after a LIST); used once per list, so it rebuilds everything.
  void replace(std::vector<Ptr> objects) {
    Snapshot<T> next;
    std::array<std::shared_ptr<typename Snapshot<T>::Shard>, store_detail::kShards> shards;
    std::array<std::shared_ptr<typename Snapshot<T>::IndexShard>, store_detail::kShards> index;
    for (Ptr& p : objects) {
      const size_t s = store_detail::shard_of(p->meta.namespace_.view(), p->meta.name);
      if (!shards[s]) {
        shards[s] = std::make_shared<typename Snapshot<T>::Shard>();
      }
      if (index_) {
        std::string key = index_(*p);
        if (!key.empty()) {
          const size_t i = store_detail::index_shard_of(key);
          if (!index[i]) {
            index[i] = std::make_shared<typename Snapshot<T>::IndexShard>();
          }
          index[i]->push_back({std::move(key), p});
        }
      }
      shards[s]->push_back(std::move(p));
    }
    for (size_t s = 0; s < store_detail::kShards; ++s) {
      if (shards[s]) {
        std::sort(shards[s]->begin(), shards[s]->end(), [](const Ptr& a, const Ptr& b) {
          return store_detail::less(a, b->meta.namespace_.view(), b->meta.name);
        });
        next.size_ += shards[s]->size();
        next.shards_[s] = std::move(shards[s]);
      }
      if (index[s]) {
        std::sort(index[s]->begin(), index[s]->end(), store_detail::index_less<T>);
        next.index_shards_[s] = std::move(index[s]);
      }
    }
    std::lock_guard lock(mutex_);
    current_ = std::move(next);
  }

 private:
  using Shard = typename Snapshot<T>::Shard;
  using IndexShard = typename Snapshot<T>::IndexShard;

  std::shared_ptr<Shard> copy_shard(size_t s) const {
    const auto& cur = current_.shards_[s];
    return cur ? std::make_shared<Shard>(*cur) : std::make_shared<Shard>();
  }

  void publish(size_t s, std::shared_ptr<Shard> shard, int delta) {
    std::lock_guard lock(mutex_);
    current_.shards_[s] = std::move(shard);
    current_.size_ = static_cast<size_t>(static_cast<int64_t>(current_.size_) + delta);
  }

  // Moves the object's index entry from its old key to its new one.
  void reindex(const Ptr& old, const Ptr& now) {
    if (!index_) {
      return;
    }
    if (old) {
      std::string key = index_(*old);
      if (!key.empty()) {
        const size_t i = store_detail::index_shard_of(key);
        auto shard = std::make_shared<IndexShard>(*current_.index_shards_[i]);
        const store_detail::IndexEntry<T> probe{std::move(key), old};
        auto it =
            std::lower_bound(shard->begin(), shard->end(), probe, store_detail::index_less<T>);
        if (it != shard->end() && it->object == old) {
          shard->erase(it);
        }
        publish_index(i, std::move(shard));
      }
    }
    if (now) {
      std::string key = index_(*now);
      if (!key.empty()) {
        const size_t i = store_detail::index_shard_of(key);
        const auto& cur = current_.index_shards_[i];
        auto shard = cur ? std::make_shared<IndexShard>(*cur) : std::make_shared<IndexShard>();
        store_detail::IndexEntry<T> entry{std::move(key), now};
        auto it =
            std::lower_bound(shard->begin(), shard->end(), entry, store_detail::index_less<T>);
        shard->insert(it, std::move(entry));
        publish_index(i, std::move(shard));
      }
    }
  }

  void publish_index(size_t i, std::shared_ptr<IndexShard> shard) {
    std::lock_guard lock(mutex_);
    current_.index_shards_[i] = std::move(shard);
  }

  IndexFn index_;
  mutable std::mutex mutex_;
  Snapshot<T> current_;  // read by the writer thread without the lock; written under it
};

}  // namespace kr::k8s
