// Startup validation of the flags: pure functions of the Config (no I/O),
// each returning nullopt when valid or one line naming the flag and the
// reason. Grouped by who checks them upstream, so each controller's
// constructor calls its own group and a disabled controller's flags are not
// checked (upstream validates lazily too, e.g. --service-node-port-range only
// when the firewall runs).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "options/kube_router_config.h"

namespace kr::options {

using ValidationError = std::optional<std::string>;

// Checked before any controller starts (flags.md 3.2 steps 6, 9, 10):
// --cache-sync-timeout, the graceful-restart timers when
// --bgp-graceful-restart is on, and the service IP ranges.
ValidationError validate_common(const Config& config);

// The shared service-IP validator's checks: every entry of
// --service-cluster-ip-range, --service-external-ip-range and
// --loadbalancer-ip-range is a CIDR of an enabled family; the cluster range
// has one or two entries.
ValidationError validate_service_ip_ranges(const Config& config);

// Routing controller (BGP, overlay): sync periods, --cluster-asn,
// --bgp-holdtime, --overlay-encap(-port), the --peer-router-* lists and,
// with --enable-bfd, the --bfd-* values.
ValidationError validate_routing(const Config& config);

// Service proxy: --ipvs-sync-period, --excluded-cidrs.
ValidationError validate_proxy(const Config& config);

// Network policy controller: --iptables-sync-period,
// --service-node-port-range.
ValidationError validate_netpol(const Config& config);

// --- Pieces the controllers reuse on other inputs ---

// A BGP peer ASN that is not reserved: 1-23455, 23457-63999, 64512-65534,
// 131072-4199999999 or 4200000000-4294967294 (shared with the
// kube-router.io/peer.asns annotation).
bool is_valid_peer_asn(std::uint64_t asn);

// Peer passwords as given by --peer-router-passwords, the passwords file or
// the kube-router.io/peer.passwords annotation (named by source in the
// message): none, or one per peer; each empty (no password) or standard
// padded base64. The message never contains the password.
ValidationError validate_peer_passwords(std::span<const std::string> passwords,
                                        std::size_t peer_count, std::string_view source);

struct NodePortRange {
  std::uint16_t first = 0;
  std::uint16_t last = 0;
};

struct NodePortRangeParse {
  NodePortRange range;
  // Upstream's message, e.g. "port 1 is greater than or equal to port 2 in
  // range given: '8090-8080'"; empty on success.
  std::string error;
  [[nodiscard]] bool ok() const { return error.empty(); }
};

// --service-node-port-range: "A-B" or "A:B" (^[0-9]+[:-][0-9]+$), both ports
// 16-bit, A < B.
NodePortRangeParse parse_service_node_port_range(std::string_view text);

}  // namespace kr::options
