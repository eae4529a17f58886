// Read-only views of the speaker for operators: neighbor status and the
// Loc-RIB listing.
#include <algorithm>

#include "bgp/speaker/speaker_impl.h"

namespace kr::bgp::speaker {
namespace {

struct PathCounts {
  std::size_t received = 0;
  std::size_t accepted = 0;
};

}  // namespace

std::vector<PeerStatus> SpeakerImpl::peers() {
  std::unordered_map<rib::PeerId, PathCounts> counts;
  auto count = [&](const auto&, const rib::PathEntry& e, bool) {
    PathCounts& c = counts[e.peer];
    ++c.received;
    if (e.eligible()) ++c.accepted;
  };
  rib_.for_each_path<Prefix4>(count);
  rib_.for_each_path<Prefix6>(count);
  const auto now = std::chrono::steady_clock::now();
  std::vector<PeerStatus> out;
  for (const auto& [address, p] : peers_) {
    const session::Fsm& fsm = p->session->fsm();
    PeerStatus s;
    s.config = p->config;
    s.state = fsm.state();
    if (p->negotiated) {
      s.remote_as = p->negotiated->peer_as;
      s.remote_id = p->negotiated->peer_id;
      s.remote_hostname = p->negotiated->peer_hostname;
      s.hold_time = p->negotiated->hold_time;
      s.families = p->negotiated->families;
      s.graceful_restart = p->negotiated->graceful_restart;
    }
    if (fsm.established_count() > 0) {
      s.up_down = std::chrono::duration_cast<std::chrono::seconds>(now - fsm.last_up_down());
    }
    s.established_count = fsm.established_count();
    s.messages = fsm.counters();
    s.last_error = p->last_error;
    if (auto it = counts.find(p->rib_id); it != counts.end()) {
      s.received = it->second.received;
      s.accepted = it->second.accepted;
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<RibPath> SpeakerImpl::rib(Family family) {
  std::vector<RibPath> out;
  auto add = [&](const auto& prefix, const rib::PathEntry& e, bool best) {
    RibPath r;
    r.prefix = IpPrefix(prefix);
    r.attrs = e.eligible() ? e.attrs : e.received;
    if (e.peer != rib::kLocalPeer) {
      auto it = by_rib_id_.find(e.peer);
      if (it != by_rib_id_.end()) r.peer = it->second->config.address;
    }
    r.best = best;
    r.stale = e.stale;
    out.push_back(std::move(r));
  };
  if (family.is_ipv4_unicast()) rib_.for_each_path<Prefix4>(add);
  if (family.is_ipv6_unicast()) rib_.for_each_path<Prefix6>(add);
  // By prefix; within a prefix the best path first, then the others in
  // arrival order (the order the RIB visits them in).
  std::stable_sort(out.begin(), out.end(), [](const RibPath& a, const RibPath& b) {
    if (listing_order(a.prefix, b.prefix)) return true;
    if (listing_order(b.prefix, a.prefix)) return false;
    return a.best && !b.best;
  });
  return out;
}

}  // namespace kr::bgp::speaker
