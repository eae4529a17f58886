// Our bgp-speaker executable in a test's network namespace: configuration
// file in a temp dir, state read back through its admin socket (the same
// JSON `kube-router bgp --json` prints).
#pragma once

#include <boost/json/value.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "seen_route.h"
#include "support/netns.h"

namespace kr::test {

class SpeakerProcess {
 public:
  // `yaml` must not set admin_socket: the driver puts it into `dir`.
  SpeakerProcess(const ScopedNetns& netns, std::filesystem::path dir, std::string yaml);
  ~SpeakerProcess();

  void start();
  // SIGKILL: connections drop without NOTIFICATION (a crash, or a
  // graceful-restart exit as far as peers can tell).
  void kill();
  // SIGTERM and wait for the exit.
  void stop();
  // Rewrites the configuration file and sends SIGHUP.
  void reload(std::string yaml);

  // One admin request; throws with the reason when it cannot be answered.
  boost::json::value request(const std::string& json) const;
  // The neighbor's state ("established", ...), "" when unknown or the
  // speaker is not answering yet.
  std::string neighbor_state(const std::string& address) const;
  boost::json::object neighbor(const std::string& address) const;
  // Best paths of "ipv4" or "ipv6" unicast; empty when not answering.
  SeenRib rib(const std::string& family) const;
  std::size_t destinations(const std::string& family) const;

  const std::filesystem::path& socket() const { return socket_; }
  std::string log() const;
  std::optional<int> pid() const;

 private:
  void write_config();

  const ScopedNetns& netns_;
  std::filesystem::path dir_;
  std::filesystem::path socket_;
  std::string yaml_;
  std::unique_ptr<Subprocess> process_;
};

}  // namespace kr::test
