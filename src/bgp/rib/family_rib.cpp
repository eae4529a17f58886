#include "bgp/rib/family_rib.h"

#include <algorithm>

#include "bgp/rib/best_path.h"
#include "bgp/rib/export_rewrite.h"

namespace kr::bgp::rib {
namespace {

std::unordered_map<Prefix4, AttrSetPtr>& out_map(PeerOutput& o, const Prefix4& /*tag*/) {
  return o.v4;
}
std::unordered_map<Prefix6, AttrSetPtr>& out_map(PeerOutput& o, const Prefix6& /*tag*/) {
  return o.v6;
}
std::vector<BestPathChange<Prefix4>>& best_list(RibChanges& ch, const Prefix4& /*tag*/) {
  return ch.best4;
}
std::vector<BestPathChange<Prefix6>>& best_list(RibChanges& ch, const Prefix6& /*tag*/) {
  return ch.best6;
}

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

}  // namespace

template <class P>
PathEntry FamilyRib<P>::entry(const StoredPath& p) const {
  return PathEntry{ctx_.attrs.get(p.attrs), ctx_.attrs.get(p.received), p.peer, p.age,
                   p.stale != 0};
}

template <class P>
StoredPath FamilyRib<P>::make_path(PeerId peer, const P& prefix, const AttrSetPtr& received) {
  StoredPath p;
  p.attrs = ctx_.attrs.acquire(import(peer, prefix, received));
  p.received = ctx_.attrs.acquire(received);
  p.age = ctx_.next_age++;
  p.peer = peer;
  return p;
}

template <class P>
void FamilyRib<P>::release(const StoredPath& p) {
  ctx_.attrs.release(p.attrs);
  ctx_.attrs.release(p.received);
}

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
  const std::size_t pos = dests_.find(prefix);
  if (pos == dests_.npos) {
    reselect(dests_.find_or_insert(prefix, make_path(peer, prefix, received)).first, BestBefore{},
             ch);
    return;
  }
  const std::size_t count = dests_.path_count(pos);
  std::size_t i = 0;
  while (i < count && dests_.path(pos, i).peer != peer) ++i;
  if (i < count && ctx_.attrs.get(dests_.path(pos, i).received) == received) {
    // Identical re-announcement: refreshes a stale path, changes nothing else.
    dests_.path(pos, i).stale = 0;
    return;
  }
  const BestBefore before = best_before(pos);
  StoredPath path = make_path(peer, prefix, received);
  if (i < count) {
    StoredPath& old = dests_.path(pos, i);
    release(old);
    path.has_more = old.has_more;
    old = path;
  } else {
    dests_.append(pos, path);
  }
  reselect(pos, before, ch);
}

template <class P>
void FamilyRib<P>::withdraw(PeerId peer, const P& prefix, RibChanges& ch) {
  remove_paths_at(
      dests_.find(prefix), [&](const StoredPath& e) { return e.peer == peer; }, ch);
}

template <class P>
typename FamilyRib<P>::BestBefore FamilyRib<P>::best_before(std::size_t pos) const {
  const StoredPath* best = dests_.best_path(pos);
  if (best == nullptr) return {};
  return {ctx_.attrs.get(best->attrs), best->peer};
}

template <class P>
void FamilyRib<P>::reselect(std::size_t pos, const BestBefore& before, RibChanges& ch) {
  int32_t best = -1;
  Candidate best_c;
  for (std::size_t i = 0; i < dests_.path_count(pos); ++i) {
    const StoredPath& p = dests_.path(pos, i);
    if (!p.eligible()) continue;
    Candidate c{ctx_.attrs.get(p.attrs).get(), p.age, source_of(ctx_, p.peer)};
    if (best < 0 || better_path(c, best_c)) {
      best = static_cast<int32_t>(i);
      best_c = c;
    }
  }
  dests_.set_best(pos, best);
  best_changed(dests_.prefix(pos), dests_.best_path(pos), before, ch);
}

template <class P>
void FamilyRib<P>::best_changed(const P& prefix, const StoredPath* best, const BestBefore& before,
                                RibChanges& ch) {
  // A copy: exporting may add attribute ids, which can move the table's slots.
  const AttrSetPtr now = ctx_.attrs.get(best != nullptr ? best->attrs : kNoAttrs);
  const PeerId now_peer = best != nullptr ? PeerId{best->peer} : kLocalPeer;
  if (now == before.attrs && now_peer == before.peer) return;
  best_list(ch, prefix).push_back({prefix, now, now_peer, before.attrs, before.peer});
  for (PeerId t = 1; t < ctx_.peers.size(); ++t) {
    if (ctx_.peers[t].present && ctx_.peers[t].exporting) export_to(t, prefix, best, ch);
  }
}

template <class P>
AttrSetPtr FamilyRib<P>::compute_export(PeerState& target, PeerId target_id, const P& prefix,
                                        const StoredPath& best) {
  const PeerId best_peer = best.peer;
  const AttrSetPtr& attrs = ctx_.attrs.get(best.attrs);
  const PeerState* source = best_peer == kLocalPeer ? nullptr : ctx_.peer(best_peer);
  ExportScope scope{&ctx_.config, source != nullptr ? &source->info : nullptr, best_peer,
                    &target.info, target_id};
  if (!may_export(*attrs, scope)) return nullptr;
  AttrSetPtr rewritten = target.rewrite_cache.get(
      attrs, best_peer, [&] { return ctx_.interner.intern(rewrite_for_export(*attrs, scope)); });
  policy::RouteView view{IpPrefix(prefix), target.info.address, ctx_.source_kind(best_peer),
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
void FamilyRib<P>::export_to(PeerId target, const P& prefix, const StoredPath* best,
                             RibChanges& ch) {
  PeerState& ts = ctx_.peers[target];
  if (!ts.info.has_family(family_)) return;
  AttrSetPtr want;
  if (best != nullptr) want = compute_export(ts, target, prefix, *best);
  PrefixTable<P, AttrId>& out = adj_out_[target];
  const std::size_t pos = out.find(prefix);
  if (pos == out.npos ? want == nullptr : ctx_.attrs.get(out.value(pos)) == want) return;
  if (pos != out.npos) {
    ctx_.attrs.release(out.value(pos));
    if (want) {
      out.value(pos) = ctx_.attrs.acquire(want);
    } else {
      out.erase_at(pos);
    }
  } else {
    out.value(out.find_or_insert(prefix).first) = ctx_.attrs.acquire(want);
  }
  out_map(ch.out[target], prefix)[prefix] = want;
}

template <class P>
void FamilyRib<P>::export_all(PeerId target, RibChanges& ch) {
  for (std::size_t pos = 0; pos < dests_.size(); ++pos) {
    export_to(target, dests_.prefix(pos), dests_.best_path(pos), ch);
  }
}

template <class P>
void FamilyRib<P>::drop_adj_out(PeerId target) {
  auto it = adj_out_.find(target);
  if (it == adj_out_.end()) return;
  for (std::size_t pos = 0; pos < it->second.size(); ++pos) {
    ctx_.attrs.release(it->second.value(pos));
  }
  adj_out_.erase(it);
}

template <class P>
void FamilyRib<P>::dump_adj_out(PeerId target, PeerOutput& out) const {
  auto it = adj_out_.find(target);
  if (it == adj_out_.end()) return;
  const PrefixTable<P, AttrId>& table = it->second;
  for (std::size_t pos = 0; pos < table.size(); ++pos) {
    out_map(out, table.key(pos))[table.key(pos)] = ctx_.attrs.get(table.value(pos));
  }
}

template <class P>
void FamilyRib<P>::reimport_all(RibChanges& ch) {
  for (std::size_t pos = 0; pos < dests_.size(); ++pos) {
    const BestBefore before = best_before(pos);
    for (std::size_t i = 0; i < dests_.path_count(pos); ++i) {
      StoredPath& p = dests_.path(pos, i);
      const AttrId old = p.attrs;
      p.attrs = ctx_.attrs.acquire(import(p.peer, dests_.prefix(pos), ctx_.attrs.get(p.received)));
      ctx_.attrs.release(old);
    }
    reselect(pos, before, ch);
  }
}

template <class P>
void FamilyRib<P>::mark_stale(PeerId peer) {
  for (std::size_t pos = 0; pos < dests_.size(); ++pos) {
    for (std::size_t i = 0; i < dests_.path_count(pos); ++i) {
      StoredPath& p = dests_.path(pos, i);
      if (p.peer == peer) p.stale = 1;
    }
  }
}

template <class P>
void FamilyRib<P>::sweep_stale(PeerId peer, RibChanges& ch) {
  remove_paths_if([&](const StoredPath& e) { return e.peer == peer && e.stale; }, ch);
}

template <class P>
void FamilyRib<P>::remove_peer_paths(PeerId peer, RibChanges& ch) {
  remove_paths_if([&](const StoredPath& e) { return e.peer == peer; }, ch);
}

template <class P>
template <class Pred>
void FamilyRib<P>::remove_paths_if(Pred pred, RibChanges& ch) {
  // From the last position down: removing a prefix moves the last one into
  // its place, which has been visited already.
  for (std::size_t pos = dests_.size(); pos-- > 0;) remove_paths_at(pos, pred, ch);
}

template <class P>
template <class Pred>
void FamilyRib<P>::remove_paths_at(std::size_t pos, Pred pred, RibChanges& ch) {
  if (pos == dests_.npos) return;
  const P prefix = dests_.prefix(pos);
  BestBefore before;
  bool removed = false;
  for (std::size_t i = dests_.path_count(pos); i-- > 0;) {
    const StoredPath& p = dests_.path(pos, i);
    if (!pred(p)) continue;
    if (!removed) before = best_before(pos);
    removed = true;
    release(p);
    if (!dests_.erase_path(pos, i)) {
      best_changed(prefix, nullptr, before, ch);
      return;
    }
  }
  if (removed) reselect(pos, before, ch);
}

template <class P>
std::optional<PathEntry> FamilyRib<P>::best(const P& prefix) const {
  const std::size_t pos = dests_.find(prefix);
  if (pos == dests_.npos) return std::nullopt;
  const StoredPath* best = dests_.best_path(pos);
  if (best == nullptr) return std::nullopt;
  return entry(*best);
}

template <class P>
std::vector<PathEntry> FamilyRib<P>::paths(const P& prefix) const {
  std::vector<PathEntry> out;
  const std::size_t pos = dests_.find(prefix);
  if (pos == dests_.npos) return out;
  for (std::size_t i = 0; i < dests_.path_count(pos); ++i) {
    out.push_back(entry(dests_.path(pos, i)));
  }
  return out;
}

template class FamilyRib<Prefix4>;
template class FamilyRib<Prefix6>;

}  // namespace kr::bgp::rib
