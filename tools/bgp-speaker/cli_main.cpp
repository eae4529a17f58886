// bgp-cli: `kube-router bgp ...` as a standalone program (same arguments).
#include <span>

#include "bgp/admin/cli.h"

int main(int argc, char** argv) {
  return kr::bgp::admin::run_bgp_cli(
      std::span<const char* const>(argv + 1, static_cast<std::size_t>(argc - 1)));
}
