// A real FRR bgpd in a test's network namespace, without zebra (-Z) and
// without touching the kernel (-n), inspected through vtysh on its own vty
// socket directory.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "seen_route.h"
#include "support/netns.h"

namespace kr::test {

class FrrPeer {
 public:
  FrrPeer(const ScopedNetns& netns, std::filesystem::path dir);
  ~FrrPeer();

  void start(const std::string& config);
  void kill();

  std::string vtysh(const std::string& command) const;
  // Runs `lines` in configuration mode ("configure terminal" first).
  void configure(const std::vector<std::string>& lines) const;
  // "Established", "Active", ... or "" when unknown.
  std::string neighbor_state(const std::string& address) const;
  // Prefixes of "ipv4" or "ipv6" unicast in the BGP table.
  std::vector<std::string> prefixes(const std::string& afi) const;
  // The best path to `prefix`, if any.
  std::optional<SeenRoute> route(const std::string& afi, const std::string& prefix) const;
  std::string log() const;

 private:
  const ScopedNetns& netns_;
  std::filesystem::path dir_;
  std::unique_ptr<Subprocess> process_;
};

}  // namespace kr::test
