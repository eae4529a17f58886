// The speakers the benchmark feeds, each started in its own network
// namespace listening on 10.1.0.1 with the feeder (10.1.0.2, AS 65001) as a
// passive eBGP neighbor, importing everything and exporting nothing: our
// bgp-speaker, gobgpd and BIRD 2.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "support/netns.h"

namespace kr::bench {

class Contender {
 public:
  virtual ~Contender() = default;
  virtual void start() = 0;
  // IPv4 destinations in its Loc-RIB; nullopt while it does not answer.
  virtual std::optional<std::size_t> routes() = 0;
  virtual std::optional<int> pid() = 0;
  virtual std::string log() = 0;
};

// "ours", "gobgpd" or "bird"; null for an unknown name.
std::unique_ptr<Contender> make_contender(const std::string& name, const test::ScopedNetns& netns,
                                          const std::filesystem::path& dir);

// Resident set size of a process in bytes (VmRSS), 0 if unknown.
std::size_t resident_bytes(int pid);

}  // namespace kr::bench
