// State the per-family tables share: configuration, peers, policy, interned
// attribute sets and the caches that keep export rewriting to one
// computation per distinct attribute set rather than per route.
// Internal to the RIB.
#pragma once

#include <memory>
#include <unordered_map>
#include <vector>

#include "bgp/policy/routing_policy.h"
#include "bgp/rib/attr_interner.h"
#include "bgp/rib/attr_table.h"
#include "bgp/rib/types.h"

namespace kr::bgp::rib {

// Memo of attribute transformations keyed by (input set, discriminator). The
// input is pinned so its address cannot be reused while the entry lives.
class TransformCache {
 public:
  template <class Compute>
  AttrSetPtr get(const AttrSetPtr& in, uint64_t discriminator, Compute compute) {
    Key key{in.get(), discriminator};
    auto it = map_.find(key);
    if (it != map_.end()) return it->second.result;
    // Bounded: attribute diversity is small in practice; start over if not.
    if (map_.size() >= kMaxEntries) map_.clear();
    AttrSetPtr result = compute();
    map_.emplace(key, Entry{in, result});
    return result;
  }
  void clear() { map_.clear(); }

 private:
  static constexpr std::size_t kMaxEntries = 1 << 16;
  struct Key {
    const PathAttributes* attrs;
    uint64_t discriminator;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      return std::hash<const void*>{}(k.attrs) ^ (k.discriminator * 0x9E3779B97F4A7C15ULL);
    }
  };
  struct Entry {
    AttrSetPtr pin;
    AttrSetPtr result;
  };
  std::unordered_map<Key, Entry, KeyHash> map_;
};

struct PeerState {
  PeerInfo info;
  bool present = false;
  bool exporting = false;
  TransformCache rewrite_cache;  // (best attrs, source peer) → rewritten
  TransformCache policy_cache;   // (rewritten, applied statements) → final
};

struct RibContext {
  RibConfig config;
  policy::PolicyPtr policy;
  AttrInterner interner;
  AttrTable attrs;               // ids of the interned sets the tables store
  TransformCache import_cache;   // (received, applied statements) → imported
  std::vector<PeerState> peers;  // index = PeerId; [0] is the local speaker
  uint32_t next_age = 0;

  const PeerState* peer(PeerId id) const {
    return id < peers.size() && peers[id].present ? &peers[id] : nullptr;
  }
  PeerState* peer(PeerId id) {
    return id < peers.size() && peers[id].present ? &peers[id] : nullptr;
  }
  bool internal(const PeerInfo& p) const { return p.asn == config.local_as; }
  policy::RouteSource source_kind(PeerId id) const;
  void clear_caches();
};

}  // namespace kr::bgp::rib
