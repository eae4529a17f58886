#include "bgp/rib/rib.h"

#include <algorithm>
#include <type_traits>

#include "bgp/rib/family_rib.h"

namespace kr::bgp::rib {

bool PeerInfo::has_family(Family f) const {
  return std::find(families.begin(), families.end(), f) != families.end();
}

bool RibChanges::empty() const { return best4.empty() && best6.empty() && out.empty(); }

void RibChanges::clear() {
  best4.clear();
  best6.clear();
  out.clear();
}

policy::RouteSource RibContext::source_kind(PeerId id) const {
  const PeerState* p = id == kLocalPeer ? nullptr : peer(id);
  if (p == nullptr) return policy::RouteSource::kLocal;
  return internal(p->info) ? policy::RouteSource::kInternal : policy::RouteSource::kExternal;
}

void RibContext::clear_caches() {
  import_cache.clear();
  for (auto& p : peers) {
    p.rewrite_cache.clear();
    p.policy_cache.clear();
  }
}

struct Rib::Impl {
  explicit Impl(RibConfig config) : v4(kIpv4Unicast, ctx), v6(kIpv6Unicast, ctx) {
    ctx.config = config;
    ctx.policy = policy::RoutingPolicy::accept_all();
    ctx.peers.resize(1);  // slot 0: the local speaker
  }

  // RFC 4271 §9.1.2 (own AS in AS_PATH), RFC 4456 §8 (our ORIGINATOR_ID on an
  // iBGP path, our CLUSTER_ID in CLUSTER_LIST).
  bool loops(const PeerState& from, const PathAttributes& a) const {
    const RibConfig& c = ctx.config;
    if (a.as_path && a.as_path->contains(c.local_as)) return true;
    if (ctx.internal(from.info) && a.originator_id == c.router_id) return true;
    const uint32_t cluster = c.cluster_id != 0 ? c.cluster_id : c.router_id;
    return std::find(a.cluster_list.begin(), a.cluster_list.end(), cluster) != a.cluster_list.end();
  }

  template <class P>
  void announce_all(FamilyRib<P>& rib, PeerId from, const std::vector<P>& prefixes,
                    const AttrSetPtr& attrs, bool withdraw, RibChanges& ch) {
    for (const P& p : prefixes) {
      if (withdraw) {
        rib.withdraw(from, p, ch);
      } else {
        rib.update(from, p, attrs, ch);
      }
    }
  }

  void for_each_family(auto fn) {
    fn(v4);
    fn(v6);
  }

  RibContext ctx;
  FamilyRib<Prefix4> v4;
  FamilyRib<Prefix6> v6;
};

Rib::Rib(RibConfig config) : impl_(std::make_unique<Impl>(config)) {}
Rib::~Rib() = default;

const RibConfig& Rib::config() const { return impl_->ctx.config; }

PeerId Rib::add_peer(const PeerInfo& info) {
  auto& peers = impl_->ctx.peers;
  auto free =
      std::find_if(peers.begin() + 1, peers.end(), [](const PeerState& p) { return !p.present; });
  if (free == peers.end()) free = peers.insert(peers.end(), PeerState{});
  free->info = info;
  free->present = true;
  free->exporting = false;
  return static_cast<PeerId>(free - peers.begin());
}

void Rib::remove_peer(PeerId id, RibChanges& ch) {
  PeerState* p = impl_->ctx.peer(id);
  if (p == nullptr || id == kLocalPeer) return;
  peer_down(id, {}, ch);
  *p = PeerState{};
  impl_->ctx.clear_caches();
}

const PeerInfo* Rib::peer(PeerId id) const {
  const PeerState* p = impl_->ctx.peer(id);
  return p != nullptr && id != kLocalPeer ? &p->info : nullptr;
}

void Rib::peer_up(PeerId id, const PeerInfo& negotiated, RibChanges& ch, bool defer_export) {
  PeerState* p = impl_->ctx.peer(id);
  if (p == nullptr || id == kLocalPeer) return;
  p->info = negotiated;
  // Cached rewrites depend on the peers' identities (ORIGINATOR_ID, session
  // type, local address): start over whenever one changes.
  impl_->ctx.clear_caches();
  if (!defer_export) start_export(id, ch);
}

void Rib::start_export(PeerId id, RibChanges& ch) {
  PeerState* p = impl_->ctx.peer(id);
  if (p == nullptr || id == kLocalPeer || p->exporting) return;
  p->exporting = true;
  impl_->for_each_family([&](auto& rib) { rib.export_all(id, ch); });
}

void Rib::peer_down(PeerId id, const std::vector<Family>& keep_stale, RibChanges& ch) {
  PeerState* p = impl_->ctx.peer(id);
  if (p == nullptr || id == kLocalPeer) return;
  p->exporting = false;
  auto keep = [&](Family f) {
    return std::find(keep_stale.begin(), keep_stale.end(), f) != keep_stale.end();
  };
  impl_->v4.drop_adj_out(id);
  impl_->v6.drop_adj_out(id);
  if (keep(kIpv4Unicast)) {
    impl_->v4.mark_stale(id);
  } else {
    impl_->v4.remove_peer_paths(id, ch);
  }
  if (keep(kIpv6Unicast)) {
    impl_->v6.mark_stale(id);
  } else {
    impl_->v6.remove_peer_paths(id, ch);
  }
  // Nothing more goes to this peer in this batch.
  ch.out.erase(id);
}

void Rib::sweep_stale(PeerId id, Family family, RibChanges& ch) {
  if (impl_->ctx.peer(id) == nullptr) return;
  if (family.is_ipv4_unicast()) impl_->v4.sweep_stale(id, ch);
  if (family.is_ipv6_unicast()) impl_->v6.sweep_stale(id, ch);
}

void Rib::receive(PeerId from, const UpdateMessage& u, RibChanges& ch) {
  Impl& m = *impl_;
  const PeerState* p = m.ctx.peer(from);
  if (p == nullptr || from == kLocalPeer) return;
  const bool v4 = p->info.has_family(kIpv4Unicast);
  const bool v6 = p->info.has_family(kIpv6Unicast);
  const bool withdraw_all = u.error_action == ErrorAction::kTreatAsWithdraw;
  if (v4) m.announce_all(m.v4, from, u.withdrawn, nullptr, true, ch);
  if (u.mp_unreach && u.mp_unreach->supported) {
    const Family f = u.mp_unreach->family;
    if (f.is_ipv4_unicast() && v4) {
      m.announce_all(m.v4, from, u.mp_unreach->withdrawn4, nullptr, true, ch);
    }
    if (f.is_ipv6_unicast() && v6) {
      m.announce_all(m.v6, from, u.mp_unreach->withdrawn6, nullptr, true, ch);
    }
  }
  if (v4 && !u.nlri.empty()) {
    AttrSetPtr attrs = withdraw_all ? nullptr : m.ctx.interner.intern(u.attrs);
    const bool drop = withdraw_all || !attrs || m.loops(*p, *attrs);
    m.announce_all(m.v4, from, u.nlri, attrs, drop, ch);
  }
  if (u.mp_reach && u.mp_reach->supported) {
    const MpReach& mp = *u.mp_reach;
    const bool wanted = (mp.family.is_ipv4_unicast() && v4) || (mp.family.is_ipv6_unicast() && v6);
    if (!wanted) return;
    AttrSetPtr attrs;
    bool drop = withdraw_all;
    if (!drop) {
      attrs = m.ctx.interner.intern(with_next_hop(u.attrs, mp.next_hop, mp.link_local_next_hop));
      drop = m.loops(*p, *attrs);
    }
    m.announce_all(m.v4, from, mp.nlri4, attrs, drop, ch);
    m.announce_all(m.v6, from, mp.nlri6, attrs, drop, ch);
  }
}

void Rib::originate(const Prefix4& prefix, const AttrSetPtr& attrs, RibChanges& ch) {
  impl_->v4.update(kLocalPeer, prefix, impl_->ctx.interner.intern(attrs), ch);
}
void Rib::originate(const Prefix6& prefix, const AttrSetPtr& attrs, RibChanges& ch) {
  impl_->v6.update(kLocalPeer, prefix, impl_->ctx.interner.intern(attrs), ch);
}
void Rib::withdraw_local(const Prefix4& prefix, RibChanges& ch) {
  impl_->v4.withdraw(kLocalPeer, prefix, ch);
}
void Rib::withdraw_local(const Prefix6& prefix, RibChanges& ch) {
  impl_->v6.withdraw(kLocalPeer, prefix, ch);
}

void Rib::set_policy(policy::PolicyPtr policy, RibChanges& ch) {
  Impl& m = *impl_;
  m.ctx.policy = policy ? std::move(policy) : policy::RoutingPolicy::accept_all();
  m.ctx.clear_caches();
  m.for_each_family([&](auto& rib) { rib.reimport_all(ch); });
  // Exports depend on the policy even where the best path did not change.
  for (PeerId id = 1; id < m.ctx.peers.size(); ++id) {
    if (m.ctx.peers[id].present && m.ctx.peers[id].exporting) {
      m.for_each_family([&](auto& rib) { rib.export_all(id, ch); });
    }
  }
}

void Rib::adj_rib_out(PeerId id, Family family, PeerOutput& out) const {
  if (family.is_ipv4_unicast()) impl_->v4.dump_adj_out(id, out);
  if (family.is_ipv6_unicast()) impl_->v6.dump_adj_out(id, out);
}

std::optional<PathEntry> Rib::best(const Prefix4& prefix) const { return impl_->v4.best(prefix); }
std::optional<PathEntry> Rib::best(const Prefix6& prefix) const { return impl_->v6.best(prefix); }
std::vector<PathEntry> Rib::paths(const Prefix4& prefix) const { return impl_->v4.paths(prefix); }
std::vector<PathEntry> Rib::paths(const Prefix6& prefix) const { return impl_->v6.paths(prefix); }

template <class P>
void Rib::for_each_path(const PathVisitor<P>& fn) const {
  if constexpr (std::is_same_v<P, Prefix4>) {
    impl_->v4.for_each_path(fn);
  } else {
    impl_->v6.for_each_path(fn);
  }
}
template void Rib::for_each_path<Prefix4>(const PathVisitor<Prefix4>&) const;
template void Rib::for_each_path<Prefix6>(const PathVisitor<Prefix6>&) const;

std::size_t Rib::prefix_count(Family family) const {
  if (family.is_ipv4_unicast()) return impl_->v4.size();
  if (family.is_ipv6_unicast()) return impl_->v6.size();
  return 0;
}

std::size_t Rib::interned_attribute_sets() const { return impl_->ctx.interner.size(); }

}  // namespace kr::bgp::rib
