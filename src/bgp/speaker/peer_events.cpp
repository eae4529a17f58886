// What the speaker does when a session changes: feed the RIB, answer route
// refreshes, and graceful restart in both roles (RFC 4724; bgp-wire.md §10).
#include "base/log.h"
#include "bgp/speaker/speaker_impl.h"

namespace kr::bgp::speaker {
namespace {

bool contains(const std::vector<Family>& v, Family f) {
  return std::find(v.begin(), v.end(), f) != v.end();
}

}  // namespace

void SpeakerImpl::on_state_changed(Peer& p, session::SessionState from, session::SessionState to) {
  pending_states_.push_back(PeerStateEvent{p.config.address, from, to, std::nullopt});
  schedule_flush();
}

void SpeakerImpl::on_established(Peer& p, const session::Negotiated& n) {
  p.negotiated = n;
  p.last_error.clear();
  p.eor_received.clear();
  p.eor_pending.clear();
  KR_INFO("bgp: neighbor {} established (AS {}, hold {} s{})", p.config.address.to_string(),
          n.peer_as, n.hold_time, n.graceful_restart ? ", graceful restart" : "");

  // Helper side: the peer is back. Families whose forwarding state it did
  // not preserve (F bit clear or family gone) lose their stale routes now
  // (RFC 4724 §4.2); the others wait for its End-of-RIB, at most the
  // deferral time.
  if (!p.stale_families.empty()) {
    p.stale_timer.cancel();
    const std::vector<Family> keep = n.peer_preserved_families();
    for (Family f : std::vector<Family>(p.stale_families)) {
      if (!contains(keep, f)) sweep_stale(p, f);
    }
    if (!p.stale_families.empty()) {
      p.stale_timer.expires_after(config_.graceful_restart.deferral_time);
      p.stale_timer.async_wait([this, alive = alive_, address = p.config.address](auto ec) {
        if (ec || !*alive) return;
        if (Peer* peer = find_peer(address)) {
          for (Family f : std::vector<Family>(peer->stale_families)) sweep_stale(*peer, f);
        }
      });
    }
  }

  rib::PeerInfo info;
  info.address = p.config.address;
  info.local_address = n.local_address;
  info.asn = n.peer_as;
  info.router_id = n.peer_id;
  info.route_reflector_client = p.config.route_reflector_client;
  info.families = n.families;

  // Restarting side: hold the initial table back until the peers' EORs.
  if (p.local_restarting && !n.graceful_restart) {
    p.local_restarting = false;
    p.session->set_restarting(false);
  }
  p.export_deferred = p.local_restarting;
  p.peer_restarting = n.peer_graceful_restart && n.peer_graceful_restart->restart_state;
  rib_.peer_up(p.rib_id, info, changes_, p.export_deferred);
  if (p.export_deferred) {
    p.deferral_timer.expires_after(config_.graceful_restart.deferral_time);
    p.deferral_timer.async_wait([this, alive = alive_, address = p.config.address](auto ec) {
      if (ec || !*alive) return;
      if (Peer* peer = find_peer(address)) {
        KR_INFO("bgp: neighbor {}: selection deferral timer expired", address.to_string());
        finish_deferral(*peer);
      }
    });
  } else if (n.graceful_restart) {
    p.eor_pending = n.families;
  }
  absorb();
  check_restart_complete();
}

void SpeakerImpl::on_update(Peer& p, UpdateMessage&& u) {
  // End-of-RIB is recognised even without graceful restart (BIRD always
  // sends it, bgp-wire.md §7.1).
  if (auto eor = u.end_of_rib()) {
    on_end_of_rib(p, *eor);
    return;
  }
  rib_.receive(p.rib_id, u, changes_);
  absorb();
}

void SpeakerImpl::on_end_of_rib(Peer& p, Family family) {
  KR_V(1, "bgp: neighbor {}: End-of-RIB for {}", p.config.address.to_string(), family.to_string());
  p.eor_received.insert(family);
  if (contains(p.stale_families, family)) sweep_stale(p, family);
  check_restart_complete();
}

void SpeakerImpl::sweep_stale(Peer& p, Family family) {
  rib_.sweep_stale(p.rib_id, family, changes_);
  std::erase(p.stale_families, family);
  if (p.stale_families.empty()) p.stale_timer.cancel();
  absorb();
}

void SpeakerImpl::on_route_refresh(Peer& p, Family family) {
  // RFC 2918 §4: resend the Adj-RIB-Out of the family (+EOR under GR).
  if (p.export_deferred) return;
  rib::PeerOutput out;
  rib_.adj_rib_out(p.rib_id, family, out);
  send_output(p, out);
  if (p.negotiated && p.negotiated->graceful_restart) {
    p.session->send_update(encode_end_of_rib(family));
  }
}

void SpeakerImpl::on_down(Peer& p, const session::DownInfo& info) {
  p.last_error = info.describe();
  p.export_deferred = false;
  p.deferral_timer.cancel();
  p.eor_pending.clear();
  // Helper side: keep the routes of the families the peer preserves, marked
  // stale, for its restart time; a NOTIFICATION exchange flushes them.
  std::vector<Family> keep;
  if (info.keeps_routes_for_graceful_restart() && p.negotiated) {
    keep = p.negotiated->peer_restart_families();
  }
  rib_.peer_down(p.rib_id, keep, changes_);
  p.stale_families = keep;
  if (!keep.empty()) {
    const auto restart = std::chrono::seconds(p.negotiated->peer_graceful_restart->restart_time);
    KR_INFO("bgp: neighbor {}: keeping its routes as stale for up to {} s",
            p.config.address.to_string(), restart.count());
    p.stale_timer.expires_after(restart);
    p.stale_timer.async_wait([this, alive = alive_, address = p.config.address](auto ec) {
      if (ec || !*alive) return;
      Peer* peer = find_peer(address);
      if (peer == nullptr || peer->is_established()) return;
      KR_INFO("bgp: neighbor {}: restart time expired, dropping stale routes", address.to_string());
      for (Family f : std::vector<Family>(peer->stale_families)) sweep_stale(*peer, f);
    });
  } else {
    p.stale_timer.cancel();
  }
  if (!pending_states_.empty() && pending_states_.back().peer == p.config.address) {
    pending_states_.back().down = info;
  }
  absorb();
  check_restart_complete();
}

void SpeakerImpl::check_restart_complete() {
  // GoBGP's rule: the deferred tables go out once every locally restarting
  // neighbor is up and has sent End-of-RIB for all its families (one that
  // is itself restarting counts as done); the deferral timer is the bound.
  bool any = false;
  for (auto& [address, p] : peers_) {
    if (!p->local_restarting) continue;
    any = true;
    if (!p->export_deferred || !p->negotiated) return;
    if (p->peer_restarting) continue;
    for (Family f : p->negotiated->families) {
      if (!p->eor_received.contains(f)) return;
    }
  }
  if (!any) return;
  for (auto& [address, p] : peers_) {
    if (p->local_restarting) finish_deferral(*p);
  }
}

void SpeakerImpl::finish_deferral(Peer& p) {
  if (!p.export_deferred) return;
  p.export_deferred = false;
  p.local_restarting = false;
  p.session->set_restarting(false);
  p.deferral_timer.cancel();
  rib_.start_export(p.rib_id, changes_);
  if (p.negotiated && p.negotiated->graceful_restart) p.eor_pending = p.negotiated->families;
  absorb();
}

}  // namespace kr::bgp::speaker
