// The two address families netfilter keeps separate tables for (iptables vs ip6tables,
// "family inet" vs "family inet6" ipsets).
#pragma once

#include <array>
#include <string_view>

namespace kr::netfilter {

enum class Family { kIPv4, kIPv6 };

inline constexpr std::array<Family, 2> kFamilies = {Family::kIPv4, Family::kIPv6};

// "IPv4" / "IPv6": the spelling upstream hashes into chain and set names (netpol.md §5).
inline std::string_view family_name(Family f) { return f == Family::kIPv4 ? "IPv4" : "IPv6"; }
// "inet" / "inet6": ipset's family option.
inline std::string_view ipset_family(Family f) { return f == Family::kIPv4 ? "inet" : "inet6"; }
// "v4" / "v6": used in metric names (kube_router_controller_iptables_v4_save_time).
inline std::string_view family_tag(Family f) { return f == Family::kIPv4 ? "v4" : "v6"; }

}  // namespace kr::netfilter
