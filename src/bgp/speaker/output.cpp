// From RIB changes to the wire and to subscribers. RIB work produces
// changes synchronously; they are sent and reported on the next loop turn,
// so a burst of UPDATEs read in one go becomes one batch, and subscriber
// callbacks never run inside a session's event handling.
#include <algorithm>
#include <boost/asio/post.hpp>

#include "bgp/codec/update_packer.h"
#include "bgp/speaker/speaker_impl.h"

namespace kr::bgp::speaker {
namespace {

template <class P>
BestPathEvent to_event(const rib::BestPathChange<P>& c, const SpeakerImpl& s) {
  BestPathEvent e;
  e.prefix = IpPrefix(c.prefix);
  e.withdrawn = c.best == nullptr;
  e.attrs = e.withdrawn ? c.previous : c.best;
  const rib::PeerId from = e.withdrawn ? c.previous_peer : c.best_peer;
  if (e.attrs && e.attrs->next_hop) e.next_hop = *e.attrs->next_hop;
  if (from != rib::kLocalPeer) {
    auto it = s.by_rib_id_.find(from);
    if (it != s.by_rib_id_.end()) e.peer = it->second->config.address;
  }
  return e;
}

}  // namespace

void SpeakerImpl::absorb() {
  if (!best_subs_.empty()) {
    for (const auto& c : changes_.best4) pending_best_.push_back(to_event(c, *this));
    for (const auto& c : changes_.best6) pending_best_.push_back(to_event(c, *this));
  }
  changes_.best4.clear();
  changes_.best6.clear();
  if (!changes_.out.empty() || !pending_best_.empty()) schedule_flush();
}

void SpeakerImpl::schedule_flush() {
  if (flush_posted_) return;
  flush_posted_ = true;
  boost::asio::post(io_, [this, alive = alive_] {
    if (*alive) flush();
  });
}

void SpeakerImpl::flush() {
  flush_posted_ = false;
  auto out = std::move(changes_.out);
  changes_.out.clear();
  for (const auto& [id, po] : out) {
    Peer* p = find_peer(id);
    if (p != nullptr && p->is_established()) send_output(*p, po);
  }
  for (auto& [address, p] : peers_) {
    if (!p->eor_pending.empty() && p->is_established() && !p->export_deferred) {
      send_end_of_rib(*p);
    }
  }
  // Callbacks last: they may call back into the speaker.
  auto states = std::move(pending_states_);
  pending_states_.clear();
  auto best = std::move(pending_best_);
  pending_best_.clear();
  // New subscribers first get the whole current state; the changes queued
  // since they subscribed follow and converge on the same state.
  auto dumps = std::move(pending_dumps_);
  pending_dumps_.clear();
  const std::vector<BestPathEvent> dump =
      dumps.empty() ? std::vector<BestPathEvent>{} : best_path_dump();
  if (!dump.empty()) {
    for (SubscriptionId id : dumps) {
      auto it = best_subs_.find(id);
      if (it == best_subs_.end()) continue;
      const auto fn = it->second;
      fn(dump);
    }
  }
  if (!states.empty()) {
    const auto subs = state_subs_;
    for (const PeerStateEvent& e : states) {
      for (const auto& [id, fn] : subs) fn(e);
    }
  }
  if (!best.empty()) {
    const auto subs = best_subs_;
    for (const auto& [id, fn] : subs) fn(best);
  }
}

std::vector<BestPathEvent> SpeakerImpl::best_path_dump() {
  std::vector<BestPathEvent> out;
  auto add = [&](const auto& prefix, const rib::PathEntry& path, bool best) {
    if (!best) return;
    rib::BestPathChange<std::decay_t<decltype(prefix)>> c{prefix, path.attrs, path.peer, nullptr,
                                                          rib::kLocalPeer};
    out.push_back(to_event(c, *this));
  };
  rib_.for_each_path<Prefix4>(add);
  rib_.for_each_path<Prefix6>(add);
  std::sort(out.begin(), out.end(), [](const BestPathEvent& a, const BestPathEvent& b) {
    return listing_order(a.prefix, b.prefix);
  });
  return out;
}

void SpeakerImpl::send_output(Peer& p, const rib::PeerOutput& out) {
  if (!p.negotiated) return;
  const CodecOptions& codec = p.negotiated->codec;
  auto pack = [&](Family family, const auto& changes) {
    if (changes.empty()) return;
    UpdatePacker packer(family, codec);
    for (const auto& [prefix, attrs] : changes) {
      if (attrs) {
        packer.announce(prefix, attrs);
      } else {
        packer.withdraw(prefix);
      }
    }
    for (Bytes& message : packer.finish()) p.session->send_update(std::move(message));
  };
  pack(kIpv4Unicast, out.v4);
  pack(kIpv6Unicast, out.v6);
}

void SpeakerImpl::send_end_of_rib(Peer& p) {
  // RFC 4724 §2: after the initial table, one marker per family.
  for (Family f : p.eor_pending) p.session->send_update(encode_end_of_rib(f));
  p.eor_pending.clear();
}

}  // namespace kr::bgp::speaker
