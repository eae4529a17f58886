// `kube-router bgp ...`: the operator's view of a running speaker through
// its admin socket, in the spirit of `gobgp neighbor` / `gobgp global rib`.
//
//   kube-router bgp [--socket PATH] [--json] neighbors
//   kube-router bgp [--socket PATH] [--json] rib [-a ipv4|ipv6] [summary]
//
// `args` are the words after "bgp". Exit status: 0 on success, 1 when the
// speaker cannot be asked or answers with an error, 2 on a usage error.
#pragma once

#include <iosfwd>
#include <span>

namespace kr::bgp::admin {

int run_bgp_cli(std::span<const char* const> args);
// Same, writing to the given streams (tests).
int run_bgp_cli(std::span<const char* const> args, std::ostream& out, std::ostream& err);

}  // namespace kr::bgp::admin
