// The speaker's API: configuration, neighbors, local paths and queries.
#include "bgp/speaker/speaker.h"

#include <unistd.h>

#include <boost/asio/io_context.hpp>

#include "base/log.h"
#include "bgp/speaker/speaker_impl.h"

namespace kr::bgp::speaker {
namespace {

rib::PeerInfo rib_info(const PeerConfig& c) {
  rib::PeerInfo info;
  info.address = c.address;
  if (c.local_address) info.local_address = *c.local_address;
  info.asn = c.asn;
  info.route_reflector_client = c.route_reflector_client;
  return info;
}

}  // namespace

Peer::Peer(SpeakerImpl& owner_, boost::asio::io_context& io, PeerConfig config_, rib::PeerId id)
    : owner(owner_), config(std::move(config_)), rib_id(id), deferral_timer(io), stale_timer(io) {}

void Peer::state_changed(session::SessionState from, session::SessionState to) {
  owner.on_state_changed(*this, from, to);
}
void Peer::established(const session::Negotiated& n) { owner.on_established(*this, n); }
void Peer::update_received(UpdateMessage&& u) { owner.on_update(*this, std::move(u)); }
void Peer::route_refresh_received(Family f) { owner.on_route_refresh(*this, f); }
void Peer::down(const session::DownInfo& info) { owner.on_down(*this, info); }
bool Peer::is_established() const {
  return session && session->fsm().state() == session::SessionState::kEstablished;
}

SpeakerImpl::SpeakerImpl(boost::asio::io_context& io, SpeakerConfig config)
    : io_(io),
      config_(std::move(config)),
      rib_(rib::RibConfig{config_.asn, config_.router_id, config_.cluster_id}),
      listener_(
          io, [this](int fd, const IpAddress& remote, const IpAddress&) { accept(fd, remote); }) {}

SpeakerImpl::~SpeakerImpl() { *alive_ = false; }

std::string SpeakerImpl::start() {
  if (started_) return "speaker already started";
  if (auto error = validate(config_); !error.empty()) return error;
  for (const IpAddress& a : config_.listen_addresses) {
    if (auto error = listener_.listen(a, config_.listen_port); !error.empty()) return error;
  }
  started_ = true;
  for (auto& [address, p] : peers_) p->session->start();
  return "";
}

Peer* SpeakerImpl::find_peer(const IpAddress& address) {
  auto it = peers_.find(address);
  return it == peers_.end() ? nullptr : it->second.get();
}

Peer* SpeakerImpl::find_peer(rib::PeerId id) {
  auto it = by_rib_id_.find(id);
  return it == by_rib_id_.end() ? nullptr : it->second;
}

void SpeakerImpl::accept(int fd, const IpAddress& remote) {
  // bgp-wire.md §3.1: only configured, administratively up neighbors.
  Peer* p = find_peer(remote);
  if (p == nullptr || stopped_) {
    KR_V(1, "bgp: closing connection from {}: not a configured neighbor", remote.to_string());
    ::close(fd);
    return;
  }
  p->session->offer_connection(fd);
}

std::string SpeakerImpl::add_peer(const PeerConfig& config) {
  if (auto error = validate(config); !error.empty()) return error;
  if (find_peer(config.address) != nullptr) {
    return "neighbor " + config.address.to_string() + " already exists";
  }
  if (stopped_) return "speaker is shut down";
  if (!config.password.empty()) {
    if (auto error = listener_.set_password(config.address, config.password); !error.empty()) {
      return "neighbor " + config.address.to_string() + ": " + error;
    }
  }
  const rib::PeerId id = rib_.add_peer(rib_info(config));
  auto peer = std::make_unique<Peer>(*this, io_, config, id);
  Peer& p = *peer;
  p.session = std::make_unique<session::Session>(io_, session_config(config_, config), p);
  // kube-router marks every neighbor it adds as locally restarting
  // (bgp-wire.md §10): the first OPENs carry R=1 until the initial sync.
  p.local_restarting = config_.graceful_restart.enabled;
  p.session->set_restarting(p.local_restarting);
  by_rib_id_[id] = &p;
  peers_[config.address] = std::move(peer);
  KR_INFO("bgp: added neighbor {} (AS {})", config.address.to_string(),
          config.asn == 0 ? std::string("any") : std::to_string(config.asn));
  if (started_) p.session->start();
  return "";
}

std::string SpeakerImpl::remove_peer(const IpAddress& address) {
  auto it = peers_.find(address);
  if (it == peers_.end()) return "neighbor " + address.to_string() + " does not exist";
  Peer& p = *it->second;
  p.session->stop(make_error(err::kCease, err::kPeerDeconfigured));
  rib_.remove_peer(p.rib_id, changes_);
  absorb();
  if (!p.config.password.empty()) listener_.set_password(address, "");
  by_rib_id_.erase(p.rib_id);
  peers_.erase(it);
  KR_INFO("bgp: removed neighbor {}", address.to_string());
  return "";
}

std::string SpeakerImpl::update_peer(const PeerConfig& config) {
  if (auto error = validate(config); !error.empty()) return error;
  Peer* p = find_peer(config.address);
  if (p == nullptr) return "neighbor " + config.address.to_string() + " does not exist";
  if (p->config == config) return "";
  // Every field shapes the session (OPEN, transport) or the RIB's view of
  // the peer, so the session starts over: RFC 4486 Cease/6 (Other
  // Configuration Change) tells the peer why.
  p->session->stop(make_error(err::kCease, 6));
  rib_.remove_peer(p->rib_id, changes_);
  absorb();
  if (!p->config.password.empty()) listener_.set_password(config.address, "");
  by_rib_id_.erase(p->rib_id);
  peers_.erase(config.address);
  return add_peer(config);
}

std::string SpeakerImpl::reset_peer(const IpAddress& address, const std::string& communication) {
  Peer* p = find_peer(address);
  if (p == nullptr) return "neighbor " + address.to_string() + " does not exist";
  p->session->reset(
      Notification::cease_with_communication(err::kAdministrativeReset, communication));
  return "";
}

std::string SpeakerImpl::originate(const IpPrefix& prefix, const IpAddress& next_hop,
                                   std::vector<uint32_t> communities) {
  if (next_hop.is_unspecified()) return "next hop of " + prefix.to_string() + " is unspecified";
  PathAttributes a;
  a.origin = Origin::kIgp;
  a.as_path = AsPath{};
  a.next_hop = next_hop;
  a.communities = std::move(communities);
  auto attrs = std::make_shared<const PathAttributes>(std::move(a));
  if (prefix.v6) {
    const Prefix6 p = Prefix6::make(prefix.addr.data(), prefix.len);
    rib_.originate(p, attrs, changes_);
  } else {
    const Prefix4 p = Prefix4::make(prefix.addr.data(), prefix.len);
    rib_.originate(p, attrs, changes_);
  }
  absorb();
  return "";
}

void SpeakerImpl::withdraw(const IpPrefix& prefix) {
  if (prefix.v6) {
    rib_.withdraw_local(Prefix6::make(prefix.addr.data(), prefix.len), changes_);
  } else {
    rib_.withdraw_local(Prefix4::make(prefix.addr.data(), prefix.len), changes_);
  }
  absorb();
}

void SpeakerImpl::set_policy(policy::PolicyPtr policy) {
  rib_.set_policy(std::move(policy), changes_);
  absorb();
}

void SpeakerImpl::shutdown(bool notify) {
  stopped_ = true;
  for (auto& [address, p] : peers_) {
    if (notify) {
      p->session->stop(make_error(err::kCease, err::kPeerDeconfigured));
    } else {
      // What a process exit looks like to the peers: connections drop, no
      // NOTIFICATION, so GR helpers keep our routes (bgp-wire.md §10).
      p->session = std::make_unique<session::Session>(io_, session_config(config_, p->config), *p);
    }
  }
}

// ---------------------------------------------------------------------------

Speaker::Speaker(boost::asio::io_context& io, SpeakerConfig config)
    : impl_(std::make_unique<SpeakerImpl>(io, std::move(config))) {}
Speaker::~Speaker() = default;

std::string Speaker::start() { return impl_->start(); }
std::vector<std::pair<IpAddress, uint16_t>> Speaker::listening() const {
  return impl_->listener_.bound();
}
std::string Speaker::add_peer(const PeerConfig& peer) { return impl_->add_peer(peer); }
std::string Speaker::update_peer(const PeerConfig& peer) { return impl_->update_peer(peer); }
std::string Speaker::remove_peer(const IpAddress& address) { return impl_->remove_peer(address); }
std::string Speaker::reset_peer(const IpAddress& address, const std::string& communication) {
  return impl_->reset_peer(address, communication);
}
std::vector<PeerStatus> Speaker::peers() const { return impl_->peers(); }
std::string Speaker::originate(const IpPrefix& prefix, const IpAddress& next_hop,
                               std::vector<uint32_t> communities) {
  return impl_->originate(prefix, next_hop, std::move(communities));
}
void Speaker::withdraw(const IpPrefix& prefix) { impl_->withdraw(prefix); }
void Speaker::set_policy(policy::PolicyPtr policy) { impl_->set_policy(std::move(policy)); }

SubscriptionId Speaker::subscribe_best_paths(
    std::function<void(const std::vector<BestPathEvent>&)> fn) {
  const SubscriptionId id = impl_->next_subscription_++;
  impl_->best_subs_[id] = std::move(fn);
  impl_->pending_dumps_.push_back(id);
  impl_->schedule_flush();
  return id;
}
SubscriptionId Speaker::subscribe_peer_state(std::function<void(const PeerStateEvent&)> fn) {
  const SubscriptionId id = impl_->next_subscription_++;
  impl_->state_subs_[id] = std::move(fn);
  return id;
}
void Speaker::unsubscribe(SubscriptionId id) {
  impl_->best_subs_.erase(id);
  impl_->state_subs_.erase(id);
}

std::vector<RibPath> Speaker::rib(Family family) const { return impl_->rib(family); }
std::size_t Speaker::prefix_count(Family family) const { return impl_->rib_.prefix_count(family); }
void Speaker::shutdown(bool notify) { impl_->shutdown(notify); }

}  // namespace kr::bgp::speaker
