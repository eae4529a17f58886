// A route as a real peer daemon shows it in its table, normalised across
// gobgpd, BIRD and FRR so tests can assert the same way on all three.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kr::test {

struct SeenRoute {
  std::string prefix;    // "10.244.0.0/24", "2001:db8:42::/64"
  std::string next_hop;  // "10.0.1.10"
  std::vector<uint32_t> as_path;
  std::vector<std::string> communities;  // "65000:1"
  bool stale = false;                    // kept through a graceful restart
  std::string originator_id;             // RFC 4456, when present
  std::vector<std::string> cluster_list;
};

// Prefix → best route.
using SeenRib = std::map<std::string, SeenRoute>;

}  // namespace kr::test
