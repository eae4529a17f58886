// Where the health and metrics servers listen (--health-addr/--health-port,
// --metrics-addr/--metrics-port), and upstream's start-up check that the address is usable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kr::observe {

struct ListenAddress {
  // "" = all interfaces (IPv6 any accepting IPv4-mapped connections, or 0.0.0.0 on a host
  // without IPv6); an IPv4 or IPv6 literal, the latter with or without brackets; or a host name,
  // resolved once, listening on its first IPv4 address (else its first address) as Go does.
  std::string host{};
  std::uint16_t port = 0;
};

// "host:port" as upstream prints it (addr + ":" + port), with brackets around IPv6 literals so
// the text is unambiguous, e.g. ":20244", "127.0.0.1:8080", "[::1]:8080".
std::string to_string(const ListenAddress& address);

// Purposes for check_bindable(), giving upstream's messages. Upstream says "heath controller";
// the typo is fixed here (listed in docs/differences.md).
inline constexpr std::string_view kHealthListenPurpose = "health controller";
inline constexpr std::string_view kMetricsListenPurpose = "metrics";

// Opens and closes a listener on `address` (upstream utils.TCPAddressBindable), so a bad or
// busy address stops start-up with a clear reason instead of failing later in the background.
// Returns e.g. "failed to listen on 127.0.0.1:20244 for health controller: unable to open
// 127.0.0.1:20244: bind: Address already in use", or nullopt when the address is usable.
std::optional<std::string> check_bindable(const ListenAddress& address, std::string_view purpose);

}  // namespace kr::observe
