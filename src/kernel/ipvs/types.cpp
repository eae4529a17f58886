#include "kernel/ipvs/types.h"

#include <arpa/inet.h>
#include <sys/socket.h>

namespace kr::ipvs {
namespace {

std::string host_port(const IpAddress& address, std::uint16_t port) {
  std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return host + ":" + std::to_string(port);
}

}  // namespace

std::string to_string(Protocol protocol) {
  switch (protocol) {
    case Protocol::kTcp:
      return "tcp";
    case Protocol::kUdp:
      return "udp";
    case Protocol::kSctp:
      return "sctp";
  }
  return "protocol " + std::to_string(static_cast<unsigned>(protocol));
}

std::string ServiceKey::to_string() const {
  if (fwmark != 0) {
    return "fwmark " + std::to_string(fwmark) + (family == AF_INET6 ? "/inet6" : "/inet");
  }
  return host_port(address, port) + "/" + ipvs::to_string(protocol);
}

bool operator==(const ServiceKey& a, const ServiceKey& b) {
  if (a.fwmark != 0 || b.fwmark != 0) return a.fwmark == b.fwmark && a.family == b.family;
  return a.address == b.address && a.protocol == b.protocol && a.port == b.port;
}

std::uint32_t Service::host_netmask(int family) { return family == AF_INET6 ? 128u : 0xffffffffu; }

std::string Destination::to_string() const { return host_port(address, port); }

}  // namespace kr::ipvs
