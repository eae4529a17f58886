// The BGP speaker: sessions + RIB + policy behind one API for the routing
// controller (no Kubernetes in here).
//
//   boost::asio::io_context io;
//   Speaker speaker(io, {.asn = 64512, .router_id = id, .listen_addresses = {node_ip}});
//   speaker.start();                                  // listen
//   auto sub = speaker.subscribe_best_paths(inject);  // kernel route programming
//   speaker.add_peer({.address = other_node_ip, .local_address = node_ip});
//   speaker.originate(pod_cidr, node_ip);
//   io.run();
//
// Every call must be made on the io_context's thread (post() from others);
// callbacks run there too. Callbacks may call back into the speaker.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bgp/codec/path_attributes.h"
#include "bgp/policy/routing_policy.h"
#include "bgp/session/fsm.h"
#include "bgp/speaker/config.h"

namespace boost::asio {
class io_context;
}

namespace kr::bgp::speaker {

// A change of the best path to a prefix (bgp-wire.md §8): what kernel route
// injection consumes.
struct BestPathEvent {
  IpPrefix prefix;
  // The prefix has no path any more; next_hop/peer describe the path that
  // was withdrawn (routing.md §8 needs its next hop to clean up).
  bool withdrawn = false;
  IpAddress next_hop;
  // The neighbor the path came from; nullopt for paths we originate.
  std::optional<IpAddress> peer;
  AttrSetPtr attrs;
};

struct PeerStateEvent {
  IpAddress peer;
  session::SessionState from = session::SessionState::kIdle;
  session::SessionState to = session::SessionState::kIdle;
  // Set when the session left Established.
  std::optional<session::DownInfo> down;
};

// What `kube-router bgp neighbors` shows about one neighbor.
struct PeerStatus {
  PeerConfig config;
  session::SessionState state = session::SessionState::kIdle;
  uint32_t remote_as = 0;  // from the last OPEN; 0 before the first one
  uint32_t remote_id = 0;
  std::optional<std::string> remote_hostname;
  uint16_t hold_time = 0;         // negotiated
  std::vector<Family> families;   // negotiated
  bool graceful_restart = false;  // negotiated
  // Time since the session went up (Established) or down (otherwise);
  // nullopt if it never went up.
  std::optional<std::chrono::seconds> up_down;
  uint32_t established_count = 0;
  session::MessageCounters messages;
  std::string last_error;    // why it last went down
  std::size_t received = 0;  // prefixes in its Adj-RIB-In
  std::size_t accepted = 0;  // of those, accepted by import policy
};

// One path of a prefix in the Loc-RIB (`kube-router bgp rib`).
struct RibPath {
  IpPrefix prefix;
  AttrSetPtr attrs;               // after import policy
  std::optional<IpAddress> peer;  // nullopt: originated here
  bool best = false;
  bool stale = false;
};

using SubscriptionId = uint64_t;

class SpeakerImpl;

class Speaker {
 public:
  Speaker(boost::asio::io_context& io, SpeakerConfig config);
  // Drops every connection without a NOTIFICATION (use shutdown() first for
  // a clean stop).
  ~Speaker();
  Speaker(const Speaker&) = delete;
  Speaker& operator=(const Speaker&) = delete;

  // Validates the configuration and opens the listening sockets. Returns ""
  // or an error naming the address.
  std::string start();
  // The bound listening addresses and ports (the port matters with 0).
  std::vector<std::pair<IpAddress, uint16_t>> listening() const;

  // --- neighbors ---
  // Returns "" or an error naming the neighbor (invalid, or already there).
  std::string add_peer(const PeerConfig& peer);
  // Applies a changed configuration; a running session is reset with
  // Cease/Other Configuration Change when anything it negotiated changes.
  std::string update_peer(const PeerConfig& peer);
  // Sends Cease/Peer De-configured and forgets the neighbor and its routes.
  std::string remove_peer(const IpAddress& address);
  // Hard-resets the session (BFD down: Cease/Administrative Reset with the
  // communication text, then 30 s before reconnecting).
  std::string reset_peer(const IpAddress& address, const std::string& communication);
  std::vector<PeerStatus> peers() const;

  // --- local paths (ORIGIN IGP, explicit next hop, routing.md §6) ---
  // Re-originating identical attributes sends nothing.
  std::string originate(const IpPrefix& prefix, const IpAddress& next_hop,
                        std::vector<uint32_t> communities = {});
  void withdraw(const IpPrefix& prefix);

  // Installs import/export policy and re-evaluates every route.
  void set_policy(policy::PolicyPtr policy);

  // --- observation ---
  // Best-path changes, batched per event-loop turn. The first batch a new
  // subscriber gets is every current best path (routing.md §8: the stream
  // starts with a dump), followed by the changes since.
  SubscriptionId subscribe_best_paths(std::function<void(const std::vector<BestPathEvent>&)> fn);
  SubscriptionId subscribe_peer_state(std::function<void(const PeerStateEvent&)> fn);
  void unsubscribe(SubscriptionId id);

  // Every path of `family` in the Loc-RIB, sorted by prefix, best first.
  std::vector<RibPath> rib(Family family) const;
  std::size_t prefix_count(Family family) const;

  // Stops every session: with `notify` each peer gets Cease/Peer
  // De-configured (graceful restart off); without, connections just close
  // so GR-capable peers keep our routes (bgp-wire.md §10).
  void shutdown(bool notify);

 private:
  std::unique_ptr<SpeakerImpl> impl_;
};

}  // namespace kr::bgp::speaker
