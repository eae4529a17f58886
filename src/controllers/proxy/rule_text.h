// The iptables rules the proxy owns, as text in the canonical form iptables-save prints after
// "-A <chain> " (so a saved table can be compared with the desired one string by string).
// proxy.md §5.1 (IPVS firewall), §6 (hairpin), §7.1 (SNAT of IPVS traffic).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "controllers/proxy/cidr.h"

namespace kr::proxy {

// nat KUBE-ROUTER-HAIRPIN: traffic from endpoint E to itself through VIP:port leaves with the
// VIP as its source, so E answers the VIP and the reply goes back through IPVS (§6).
std::string hairpin_rule(const IpAddress& endpoint, const IpAddress& vip, std::uint16_t port);

// nat POSTROUTING: the jump into KUBE-ROUTER-HAIRPIN for IPVS-forwarded traffic.
std::string hairpin_jump_rule();

// nat POSTROUTING: SNAT of IPVS-NATed traffic to the node IP; with a pod CIDR, only traffic
// neither from nor to a local pod (§7.1). random_fully: --random-fully (iptables >= 1.6.2).
std::string masquerade_rule(const std::optional<Cidr>& pod_cidr, const IpAddress& node_ip,
                            bool random_fully);

// The text to write (or delete) a rule with: for the SNAT rules the --ipvs option upstream
// writes (and iptables-save omits) is put back, so our rules are byte-identical to upstream's
// and a delete by text finds either; other rules are returned unchanged.
std::string written_form(std::string_view rule);

// True for the SNAT rules masquerade_rule() makes (any pod CIDR or node IP) and for the
// MASQUERADE rules older versions made in their place, so stale ones are recognised in
// POSTROUTING.
bool is_masquerade_rule(std::string_view rule);

// filter KUBE-ROUTER-SERVICES with --ipvs-permit-all: ICMP diagnostics, service ports accepted,
// everything else to a service VIP rejected (§5.1).
std::vector<std::string> services_chain_rules(Family family);

// filter INPUT position 1: traffic to any service VIP goes through KUBE-ROUTER-SERVICES.
std::string services_jump_rule(Family family);

}  // namespace kr::proxy
