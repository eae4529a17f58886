// Kernel parameters through /proc/sys (what `sysctl -w` does), e.g. the
// proxy's net.ipv4.vs.conntrack=1 (proxy.md §10.1). Names use dots
// ("net.ipv4.vs.conntrack") or slashes ("net/ipv4/conf/eth0.100/rp_filter",
// needed when an interface name has a dot). /proc/sys/net shows the network
// namespace of the calling thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kr::sysctl {

// "/proc/sys/net/ipv4/vs/conntrack" for "net.ipv4.vs.conntrack"; throws std::invalid_argument
// for an empty name or one that would leave /proc/sys ("..", leading '/').
std::string path_of(std::string_view name);

// The value without its trailing newline; nullopt when the parameter does not exist (e.g.
// net.ipv4.vs.* before ip_vs is loaded).
std::optional<std::string> read(std::string_view name);

// Writes value; throws std::system_error naming the parameter when that fails.
void write(std::string_view name, std::string_view value);

}  // namespace kr::sysctl
