// A compact hash table keyed by prefix, built for a million entries.
//
// Keys and values live in two dense arrays (5 + sizeof(V) bytes per IPv4
// entry, no per-entry allocation); an open-addressing index of 8-byte
// buckets maps a key's hash to its position. A bucket holds the upper 32
// bits of the key's hash beside the position, so probing compares hashes in
// the index and touches the key array only on a likely match, and growing
// the index or closing a hole in it never re-reads keys. Linear probing, at most 80% full, with
// backward-shift deletion (no tombstones).
//
// Holds at most 2^32 - 2 entries (positions are 32-bit in the index).
//
// Positions are stable until an erase: erase_at(i) moves the last entry into
// position i. A walk that erases therefore goes from the last position down.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace kr::bgp::rib {

template <class K, class V>
class PrefixTable {
 public:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  std::size_t size() const { return keys_.size(); }
  bool empty() const { return keys_.empty(); }

  const K& key(std::size_t i) const { return keys_[i]; }
  V& value(std::size_t i) { return values_[i]; }
  const V& value(std::size_t i) const { return values_[i]; }

  // Position of `key`, or npos.
  std::size_t find(const K& key) const {
    if (buckets_.empty()) return npos;
    const uint32_t h = hash_of(key);
    for (std::size_t b = h & mask_;; b = (b + 1) & mask_) {
      const uint64_t bucket = buckets_[b];
      if (bucket == 0) return npos;
      if (hash_in(bucket) == h && keys_[position_in(bucket)] == key) return position_in(bucket);
    }
  }

  // Position of `key`, appending it with a value-initialised V when absent;
  // `.second` tells whether it was appended.
  std::pair<std::size_t, bool> find_or_insert(const K& key) {
    if ((keys_.size() + 1) * 5 > buckets_.size() * 4) {
      rehash(std::max<std::size_t>(16, buckets_.size() * 2));
    }
    const uint32_t h = hash_of(key);
    std::size_t b = h & mask_;
    for (;; b = (b + 1) & mask_) {
      const uint64_t bucket = buckets_[b];
      if (bucket == 0) break;
      if (hash_in(bucket) == h && keys_[position_in(bucket)] == key) {
        return {position_in(bucket), false};
      }
    }
    const std::size_t pos = keys_.size();
    keys_.push_back(key);
    values_.emplace_back();
    buckets_[b] = make_bucket(h, pos);
    return {pos, true};
  }

  // Removes the entry at `pos`; the last entry moves to `pos`.
  void erase_at(std::size_t pos) {
    remove_bucket(bucket_of(pos));
    const std::size_t last = keys_.size() - 1;
    if (pos != last) {
      buckets_[bucket_of(last)] = make_bucket(hash_in(buckets_[bucket_of(last)]), pos);
      keys_[pos] = keys_[last];
      values_[pos] = std::move(values_[last]);
    }
    keys_.pop_back();
    values_.pop_back();
    // Give memory back after a mass withdrawal (a peer with a full table
    // going down), with hysteresis against growth.
    if (buckets_.size() > 16 && keys_.size() * 8 < buckets_.size()) {
      rehash(buckets_.size() / 2);
      if (keys_.size() * 4 < keys_.capacity()) {
        keys_.shrink_to_fit();
        values_.shrink_to_fit();
      }
    }
  }

 private:
  // splitmix64's finaliser over std::hash: std::hash of an integer is the
  // identity in libstdc++, and prefixes differ mostly in their high bytes.
  static uint32_t hash_of(const K& key) {
    uint64_t h = std::hash<K>{}(key);
    h ^= h >> 30;
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 27;
    h *= 0x94D049BB133111EBULL;
    h ^= h >> 31;
    return static_cast<uint32_t>(h >> 32);
  }
  // 0 marks an empty bucket, hence position + 1.
  static uint64_t make_bucket(uint32_t hash, std::size_t pos) {
    return (uint64_t{hash} << 32) | static_cast<uint32_t>(pos + 1);
  }
  static uint32_t hash_in(uint64_t bucket) { return static_cast<uint32_t>(bucket >> 32); }
  static std::size_t position_in(uint64_t bucket) {
    return static_cast<uint32_t>(bucket) - std::size_t{1};
  }

  // The bucket that points at `pos` (which must exist).
  std::size_t bucket_of(std::size_t pos) const {
    const uint64_t want = make_bucket(hash_of(keys_[pos]), pos);
    std::size_t b = hash_in(want) & mask_;
    while (buckets_[b] != want) b = (b + 1) & mask_;
    return b;
  }

  // Backward-shift deletion: later entries of the probe run move into the
  // hole unless that would put them before their home bucket.
  void remove_bucket(std::size_t hole) {
    for (std::size_t next = (hole + 1) & mask_; buckets_[next] != 0; next = (next + 1) & mask_) {
      const std::size_t home = hash_in(buckets_[next]) & mask_;
      if (((next - home) & mask_) >= ((next - hole) & mask_)) {
        buckets_[hole] = buckets_[next];
        hole = next;
      }
    }
    buckets_[hole] = 0;
  }

  void rehash(std::size_t count) {
    std::vector<uint64_t> old;
    old.swap(buckets_);
    buckets_.assign(count, 0);
    mask_ = count - 1;
    for (uint64_t bucket : old) {
      if (bucket == 0) continue;
      std::size_t b = hash_in(bucket) & mask_;
      while (buckets_[b] != 0) b = (b + 1) & mask_;
      buckets_[b] = bucket;
    }
  }

  std::vector<K> keys_;
  std::vector<V> values_;
  std::vector<uint64_t> buckets_;  // size is a power of two (or zero)
  std::size_t mask_ = 0;
};

}  // namespace kr::bgp::rib
