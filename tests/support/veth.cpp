#include "support/veth.h"

#include <stdexcept>

#include "support/run.h"

namespace kr::test {
namespace {

// IFNAMSIZ is 16 including the terminating NUL.
void check_ifname(const VethEnd& end) {
  if (end.ifname.empty() || end.ifname.size() > 15 ||
      end.ifname.find_first_of("/ \t\n:") != std::string::npos) {
    throw std::invalid_argument("bad interface name '" + end.ifname + "' in netns " + end.netns);
  }
}

void configure(const VethEnd& end) {
  if (!end.address.empty()) {
    check_output({"ip", "-n", end.netns, "addr", "add", end.address, "dev", end.ifname});
  }
  check_output({"ip", "-n", end.netns, "link", "set", end.ifname, "up"});
}

}  // namespace

void connect_veth(const VethEnd& a, const VethEnd& b) {
  check_ifname(a);
  check_ifname(b);
  check_output({"ip", "-n", a.netns, "link", "add", a.ifname, "type", "veth", "peer", "name",
                b.ifname, "netns", b.netns});
  configure(a);
  configure(b);
}

}  // namespace kr::test
