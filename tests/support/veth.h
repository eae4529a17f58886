// veth pairs between network namespaces. Both ends are created directly in
// their namespaces (`ip -n A link add ... peer ... netns B`), so no interface
// ever appears in the host's own namespace; deleting either namespace deletes
// the pair.
#pragma once

#include <string>

namespace kr::test {

struct VethEnd {
  std::string netns;    // named network namespace
  std::string ifname;   // interface name inside it (at most 15 characters)
  std::string address;  // "10.0.0.1/24" or "fd00::1/64"; empty for none
};

// Creates the pair, adds the addresses and sets both ends up. Throws
// std::invalid_argument for a bad interface name and std::runtime_error with
// ip's message when a step fails.
void connect_veth(const VethEnd& a, const VethEnd& b);

}  // namespace kr::test
