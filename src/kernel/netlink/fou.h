// FOU/GUE receive ports over generic netlink (family "fou"), i.e.
// `ip fou add port 5555 gue` / `ip fou del port 5555`: the UDP port on which
// the kernel decapsulates ipip/ip6tnl tunnels that use `encap gue`
// (routing.md §9.2, --overlay-encap-port). Needs fou.ko loaded (`modprobe
// fou`; the kernel does not load it on demand).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "kernel/netlink/genl.h"
#include "kernel/netlink/socket.h"

namespace kr::netlink {

enum class FouEncap : std::uint8_t { kDirect = 1, kGue = 2 };  // FOU_ENCAP_*

struct FouPort {
  std::uint16_t port = 0;
  int family = 0;  // AF_INET or AF_INET6: which UDP socket family listens
  FouEncap encap = FouEncap::kGue;
  std::uint8_t ipproto = 0;  // the carried protocol; direct FOU only (4 = ipip)

  friend bool operator==(const FouPort&, const FouPort&) = default;
};

class Fou {
 public:
  // Resolves the "fou" family now: throws NetlinkError when fou.ko is not loaded.
  explicit Fou(Socket& generic_socket);

  // Fails with NetlinkError EADDRINUSE when the UDP port is taken (by fou or anything else).
  void add(const FouPort& port);
  void remove(const FouPort& port);
  std::vector<FouPort> list();

 private:
  Socket& socket_;
  GenlFamily family_;
};

std::optional<FouPort> parse_fou_port(const nlmsghdr* message);

}  // namespace kr::netlink
