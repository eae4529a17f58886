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

template <class P>
void count_paths(const rib::Rib& rib, const std::vector<P>& prefixes,
                 std::unordered_map<rib::PeerId, PathCounts>& counts) {
  for (const P& prefix : prefixes) {
    for (const rib::PathEntry& e : rib.paths(prefix)) {
      PathCounts& c = counts[e.peer];
      ++c.received;
      if (e.eligible()) ++c.accepted;
    }
  }
}

template <class P>
void list_paths(const rib::Rib& rib, const std::vector<P>& prefixes, const SpeakerImpl& s,
                std::vector<RibPath>& out) {
  for (const P& prefix : prefixes) {
    const rib::PathEntry* best = rib.best(prefix);
    std::vector<rib::PathEntry> paths = rib.paths(prefix);
    // Best first, then the others in arrival order.
    std::stable_sort(paths.begin(), paths.end(), [&](const auto& a, const auto& b) {
      return best != nullptr && a.peer == best->peer && b.peer != best->peer;
    });
    for (const rib::PathEntry& e : paths) {
      RibPath r;
      r.prefix = IpPrefix(prefix);
      r.attrs = e.eligible() ? e.attrs : e.received;
      if (e.peer != rib::kLocalPeer) {
        auto it = s.by_rib_id_.find(e.peer);
        if (it != s.by_rib_id_.end()) r.peer = it->second->config.address;
      }
      r.best = best != nullptr && e.peer == best->peer;
      r.stale = e.stale;
      out.push_back(std::move(r));
    }
  }
}

}  // namespace

std::vector<PeerStatus> SpeakerImpl::peers() {
  std::unordered_map<rib::PeerId, PathCounts> counts;
  count_paths(rib_, index4_.compact([this](const Prefix4& p) { return !rib_.paths(p).empty(); }),
              counts);
  count_paths(rib_, index6_.compact([this](const Prefix6& p) { return !rib_.paths(p).empty(); }),
              counts);
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
  if (family.is_ipv4_unicast()) {
    list_paths(rib_, index4_.compact([this](const Prefix4& p) { return !rib_.paths(p).empty(); }),
               *this, out);
  } else if (family.is_ipv6_unicast()) {
    list_paths(rib_, index6_.compact([this](const Prefix6& p) { return !rib_.paths(p).empty(); }),
               *this, out);
  }
  return out;
}

}  // namespace kr::bgp::speaker
