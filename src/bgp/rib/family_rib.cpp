#include "bgp/rib/family_rib.h"

#include <algorithm>

#include "bgp/rib/best_path.h"
#include "bgp/rib/export_rewrite.h"

namespace kr::bgp::rib {
namespace {

std::unordered_map<Prefix4, AttrSetPtr>& out_map(PeerOutput& o, const Prefix4&) { return o.v4; }
std::unordered_map<Prefix6, AttrSetPtr>& out_map(PeerOutput& o, const Prefix6&) { return o.v6; }
std::vector<BestPathChange<Prefix4>>& best_list(RibChanges& ch, const Prefix4&) { return ch.best4; }
std::vector<BestPathChange<Prefix6>>& best_list(RibChanges& ch, const Prefix6&) { return ch.best6; }

PathSource source_of(const RibContext& ctx, PeerId id) {
  PathSource s;
  const PeerState* p = id == kLocalPeer ? nullptr : ctx.peer(id);
  if (p == nullptr) {
    s.local = true;
    s.router_id = ctx.config.router_id;
    return s;
  }
  s.external = !ctx.internal(p->info);
  s.router_id = p->info.router_id;
  s.address = p->info.address;
  return s;
}

template <class Paths, class Pred>
std::size_t erase_paths_if(Paths& paths, Pred pred) {
  auto first = std::remove_if(paths.begin(), paths.end(), pred);
  const auto removed = static_cast<std::size_t>(paths.end() - first);
  paths.erase(first, paths.end());
  return removed;
}

}  // namespace

template <class P>
AttrSetPtr FamilyRib<P>::import(PeerId peer, const P& prefix, const AttrSetPtr& received) {
  if (peer == kLocalPeer) return received;  // import policy applies to received routes only
  const PeerState* ps = ctx_.peer(peer);
  policy::RouteView view{IpPrefix(prefix), ps->info.address, ctx_.source_kind(peer),
                         received.get()};
  const policy::Decision d = ctx_.policy->evaluate(policy::Direction::kImport, view);
  if (!d.accept) return nullptr;
  if (d.applied == 0) return received;
  return ctx_.import_cache.get(received, d.applied, [&] {
    return ctx_.interner.intern(ctx_.policy->apply(policy::Direction::kImport, d.applied, received,
                                                   {ps->info.local_address}));
  });
}

template <class P>
void FamilyRib<P>::update(PeerId peer, const P& prefix, const AttrSetPtr& received,
                          RibChanges& ch) {
  Destination& d = dests_[prefix];
  auto it = std::find_if(d.paths.begin(), d.paths.end(),
                         [&](const PathEntry& e) { return e.peer == peer; });
  if (it != d.paths.end() && it->received == received) {
    // Identical re-announcement: refreshes a stale path, changes nothing else.
    it->stale = false;
    return;
  }
  const BestBefore before = best_before(d);
  PathEntry entry{import(peer, prefix, received), received, peer, ctx_.next_age++, false};
  if (it != d.paths.end()) {
    *it = std::move(entry);
  } else {
    d.paths.push_back(std::move(entry));
  }
  reselect(prefix, d, before, ch);
}

template <class P>
void FamilyRib<P>::withdraw(PeerId peer, const P& prefix, RibChanges& ch) {
  auto dit = dests_.find(prefix);
  if (dit == dests_.end()) return;
  auto& paths = dit->second.paths;
  auto it =
      std::find_if(paths.begin(), paths.end(), [&](const PathEntry& e) { return e.peer == peer; });
  if (it == paths.end()) return;
  const BestBefore before = best_before(dit->second);
  paths.erase(it);
  reselect(prefix, dit->second, before, ch);
  erase_if_empty(dit);
}

template <class P>
void FamilyRib<P>::erase_if_empty(typename std::unordered_map<P, Destination>::iterator it) {
  if (it->second.paths.empty()) dests_.erase(it);
}

template <class P>
typename FamilyRib<P>::BestBefore FamilyRib<P>::best_before(const Destination& d) {
  if (d.best < 0) return {};
  return {d.paths[d.best].attrs, d.paths[d.best].peer};
}

template <class P>
void FamilyRib<P>::reselect(const P& prefix, Destination& d, const BestBefore& before,
                            RibChanges& ch) {
  int32_t best = -1;
  Candidate best_c;
  for (std::size_t i = 0; i < d.paths.size(); ++i) {
    if (!d.paths[i].eligible()) continue;
    Candidate c{&d.paths[i], source_of(ctx_, d.paths[i].peer)};
    if (best < 0 || better_path(c, best_c)) {
      best = static_cast<int32_t>(i);
      best_c = c;
    }
  }
  d.best = best;
  const BestBefore now = best_before(d);
  if (now.attrs == before.attrs && now.peer == before.peer) return;
  best_list(ch, prefix).push_back({prefix, now.attrs, now.peer, before.attrs, before.peer});
  for (PeerId t = 1; t < ctx_.peers.size(); ++t) {
    if (ctx_.peers[t].present && ctx_.peers[t].exporting) export_to(t, prefix, &d, ch);
  }
}

template <class P>
AttrSetPtr FamilyRib<P>::compute_export(PeerState& target, PeerId target_id, const P& prefix,
                                        const PathEntry& best) {
  const PeerState* source = best.peer == kLocalPeer ? nullptr : ctx_.peer(best.peer);
  ExportScope scope{&ctx_.config, source ? &source->info : nullptr, best.peer, &target.info,
                    target_id};
  if (!may_export(*best.attrs, scope)) return nullptr;
  AttrSetPtr rewritten = target.rewrite_cache.get(best.attrs, best.peer, [&] {
    return ctx_.interner.intern(rewrite_for_export(*best.attrs, scope));
  });
  policy::RouteView view{IpPrefix(prefix), target.info.address, ctx_.source_kind(best.peer),
                         rewritten.get()};
  const policy::Decision d = ctx_.policy->evaluate(policy::Direction::kExport, view);
  if (!d.accept) return nullptr;
  return target.policy_cache.get(rewritten, d.applied, [&] {
    AttrSetPtr applied = ctx_.policy->apply(policy::Direction::kExport, d.applied, rewritten,
                                            {target.info.local_address});
    if (scope.target_external() && applied->local_pref) {
      PathAttributes copy = *applied;
      finish_for_target(copy, scope);
      return ctx_.interner.intern(std::move(copy));
    }
    return ctx_.interner.intern(applied);
  });
}

template <class P>
void FamilyRib<P>::export_to(PeerId target, const P& prefix, const Destination* d, RibChanges& ch) {
  PeerState& ts = ctx_.peers[target];
  if (!ts.info.has_family(family_)) return;
  AttrSetPtr want;
  if (d != nullptr && d->best >= 0) want = compute_export(ts, target, prefix, d->paths[d->best]);
  auto& out = adj_out_[target];
  auto it = out.find(prefix);
  if (it == out.end() ? want == nullptr : it->second == want) return;
  if (want) {
    out[prefix] = want;
  } else {
    out.erase(it);
  }
  out_map(ch.out[target], prefix)[prefix] = want;
}

template <class P>
void FamilyRib<P>::export_all(PeerId target, RibChanges& ch) {
  for (auto& [prefix, d] : dests_) export_to(target, prefix, &d, ch);
}

template <class P>
void FamilyRib<P>::dump_adj_out(PeerId target, PeerOutput& out) const {
  auto it = adj_out_.find(target);
  if (it == adj_out_.end()) return;
  for (const auto& [prefix, attrs] : it->second) out_map(out, prefix)[prefix] = attrs;
}

template <class P>
void FamilyRib<P>::reimport_all(RibChanges& ch) {
  for (auto& [prefix, d] : dests_) {
    const BestBefore before = best_before(d);
    for (PathEntry& e : d.paths) e.attrs = import(e.peer, prefix, e.received);
    reselect(prefix, d, before, ch);
  }
}

template <class P>
void FamilyRib<P>::mark_stale(PeerId peer) {
  for (auto& [prefix, d] : dests_) {
    for (PathEntry& e : d.paths) {
      if (e.peer == peer) e.stale = true;
    }
  }
}

template <class P>
void FamilyRib<P>::sweep_stale(PeerId peer, RibChanges& ch) {
  for (auto it = dests_.begin(); it != dests_.end();) {
    auto& paths = it->second.paths;
    const BestBefore before = best_before(it->second);
    const auto removed =
        erase_paths_if(paths, [&](const PathEntry& e) { return e.peer == peer && e.stale; });
    if (removed > 0) reselect(it->first, it->second, before, ch);
    it = paths.empty() ? dests_.erase(it) : std::next(it);
  }
}

template <class P>
void FamilyRib<P>::remove_peer_paths(PeerId peer, RibChanges& ch) {
  for (auto it = dests_.begin(); it != dests_.end();) {
    auto& paths = it->second.paths;
    const BestBefore before = best_before(it->second);
    const auto removed = erase_paths_if(paths, [&](const PathEntry& e) { return e.peer == peer; });
    if (removed > 0) reselect(it->first, it->second, before, ch);
    it = paths.empty() ? dests_.erase(it) : std::next(it);
  }
}

template <class P>
const PathEntry* FamilyRib<P>::best(const P& prefix) const {
  auto it = dests_.find(prefix);
  if (it == dests_.end() || it->second.best < 0) return nullptr;
  return &it->second.paths[it->second.best];
}

template <class P>
std::vector<PathEntry> FamilyRib<P>::paths(const P& prefix) const {
  auto it = dests_.find(prefix);
  if (it == dests_.end()) return {};
  return std::vector<PathEntry>(it->second.paths.begin(), it->second.paths.end());
}

template class FamilyRib<Prefix4>;
template class FamilyRib<Prefix6>;

}  // namespace kr::bgp::rib
