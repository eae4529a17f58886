// A real gobgpd (Debian's gobgp package) in a test's network namespace:
// writes its TOML configuration into a temp dir, runs it, and reads its
// state back through the gobgp CLI's JSON output.
#pragma once

#include <boost/json/value.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "seen_route.h"
#include "support/netns.h"

namespace kr::test {

struct GobgpNeighbor {
  std::string address{};
  uint32_t peer_as = 0;
  std::string local_address{};
  std::string password{};
  uint16_t hold_time = 0;  // 0: gobgpd's default (90)
  uint16_t connect_retry = 3;
  bool passive = false;
  bool ipv4 = true;
  bool ipv6 = false;
  bool graceful_restart = false;
  uint16_t restart_time = 30;
  int multihop_ttl = 0;
  bool route_reflector_client = false;
};

struct GobgpConfig {
  uint32_t asn = 0;
  std::string router_id{};
  std::vector<std::string> listen_addresses{};
  std::vector<GobgpNeighbor> neighbors{};
  // Debug logs explain test failures; benchmarks use gobgpd's default, info.
  std::string log_level = "debug";
};

class GobgpdPeer {
 public:
  GobgpdPeer(const ScopedNetns& netns, std::filesystem::path dir, GobgpConfig config);
  ~GobgpdPeer();

  void start();
  // SIGKILL: the TCP sessions drop without a NOTIFICATION (a crash).
  void kill();
  void pause();   // SIGSTOP: a silent peer
  void resume();  // SIGCONT
  bool running();

  // `gobgp args...` inside the namespace; throws with its output on failure.
  std::string cli(const std::vector<std::string>& args) const;
  // "established", "active", ... or "" when the neighbor is unknown.
  std::string neighbor_state(const std::string& address) const;
  // The best routes of "ipv4" or "ipv6" unicast.
  SeenRib rib(const std::string& family) const;
  std::size_t rib_count(const std::string& family) const;
  // gobgp global rib add PREFIX nexthop NH [community C...]
  void announce(const std::string& prefix, const std::string& next_hop,
                const std::vector<std::string>& communities = {}) const;
  void withdraw(const std::string& prefix) const;
  std::string log() const;
  std::optional<int> pid() const;

 private:
  const ScopedNetns& netns_;
  std::filesystem::path dir_;
  GobgpConfig config_;
  std::unique_ptr<Subprocess> process_;
};

// Parses `gobgp global rib -j` output.
SeenRib parse_gobgp_rib(const boost::json::value& rib);

}  // namespace kr::test
