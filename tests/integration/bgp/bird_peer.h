// A real BIRD 2 in a test's network namespace, with a configuration the
// test writes, inspected through birdc.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "seen_route.h"
#include "support/netns.h"

namespace kr::test {

class BirdPeer {
 public:
  BirdPeer(const ScopedNetns& netns, std::filesystem::path dir);
  ~BirdPeer();

  // Starts bird with `config` (logging to the temp dir is added).
  void start(const std::string& config);
  void kill();

  std::string birdc(const std::string& command) const;
  // "Established", "Active", ... (the BGP state line of the protocol).
  std::string bgp_state(const std::string& protocol) const;
  // The protocol still holds the neighbor's routes through its restart.
  bool in_graceful_restart(const std::string& protocol) const;
  // Routes of table master4 or master6 learned over BGP, parsed from `show
  // route all`.
  SeenRib rib(const std::string& table) const;
  std::string log() const;
  std::optional<int> pid() const;

 private:
  const ScopedNetns& netns_;
  std::filesystem::path dir_;
  std::unique_ptr<Subprocess> process_;
};

// Parses `birdc show route all` output (BGP routes only).
SeenRib parse_bird_routes(const std::string& text);

}  // namespace kr::test
