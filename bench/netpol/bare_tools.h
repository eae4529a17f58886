// The limits bench_netpol compares the controller against: the same kernel writes made by the
// bare tools (ipset restore, iptables-restore per family) with no controller around them, in
// network namespaces of their own.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "controllers/netpol/desired_state.h"
#include "kernel/netfilter/iptables.h"

namespace kr::netpol::bench {

// A named network namespace for one measurement, deleted again by the destructor.
class Namespace {
 public:
  Namespace();
  ~Namespace();
  Namespace(const Namespace&) = delete;
  Namespace& operator=(const Namespace&) = delete;
  std::string path() const { return "/var/run/netns/" + name_; }

  // Runs argv (in the namespace at `netns` when given); throws with the tool's output on failure.
  static void check(const std::vector<std::string>& argv, std::string_view input = {},
                    const std::string& netns = {});

 private:
  std::string name_;
};

// Milliseconds to load the whole of `desired` into an empty kernel: one ipset restore, then one
// iptables-restore per family.
double time_bare_load(netfilter::IptablesBackend backend, const DesiredState& desired,
                      const std::string& dump_dir = {});

// Milliseconds for each of `repeats` runs of the change from `before` to `after` (built with one
// cache, as the controller builds them) written by the bare tools as the controller's applier
// writes it: the planned ipset script, then the families' planned documents side by side, into a
// kernel holding `before`.
std::vector<double> time_bare_change(netfilter::IptablesBackend backend, const DesiredState& before,
                                     const DesiredState& after, int repeats);

}  // namespace kr::netpol::bench
