#include "controllers/proxy/rule_text.h"

#include "controllers/proxy/names.h"
#include "fmt/format.h"

namespace kr::proxy {
namespace {

std::string host_prefix(const IpAddress& ip) {
  return fmt::format("{}/{}", ip.to_string(), ip.is_v6() ? 128 : 32);
}

// The IPVS match of the SNAT rules as iptables-save prints it. Upstream writes
// "-m ipvs --ipvs --vdir ORIGINAL --vmethod MASQ"; libxt_ipvs prints --ipvs only when it is the
// match's sole option, so the saved text lacks it although the rule carries it.
constexpr std::string_view kIpvsMasqMatch =
    "-m ipvs --vdir ORIGINAL --vmethod MASQ -m comment --comment \"\"";
constexpr std::string_view kIpvsMasqWritten =
    "-m ipvs --ipvs --vdir ORIGINAL --vmethod MASQ -m comment --comment \"\"";

}  // namespace

std::string hairpin_rule(const IpAddress& endpoint, const IpAddress& vip, std::uint16_t port) {
  // libxt_ipvs prints --vaddr without a /32 or /128 host mask.
  return fmt::format("-s {0} -d {0} -m ipvs --vaddr {1} --vport {2} -j SNAT --to-source {1}",
                     host_prefix(endpoint), vip.to_string(), port);
}

std::string hairpin_jump_rule() {
  return fmt::format("-m ipvs --vdir ORIGINAL -j {}", kHairpinChain);
}

std::string masquerade_rule(const std::optional<Cidr>& pod_cidr, const IpAddress& node_ip,
                            bool random_fully) {
  std::string rule;
  if (pod_cidr) {
    rule = fmt::format("! -s {0} ! -d {0} ", pod_cidr->to_string());
  }
  rule += fmt::format("{} -j SNAT --to-source {}", kIpvsMasqMatch, node_ip.to_string());
  if (random_fully) {
    rule += " --random-fully";
  }
  return rule;
}

std::string written_form(std::string_view rule) {
  std::string out(rule);
  if (const auto at = out.find(kIpvsMasqMatch); at != std::string::npos) {
    out.replace(at, kIpvsMasqMatch.size(), kIpvsMasqWritten);
  }
  return out;
}

bool is_masquerade_rule(std::string_view rule) {
  // Older kube-router versions used MASQUERADE here (proxy.md §7.3); those go too.
  return rule.find(kIpvsMasqMatch) != std::string_view::npos &&
         (rule.find(" -j SNAT --to-source ") != std::string_view::npos ||
          rule.ends_with(" -j MASQUERADE"));
}

std::vector<std::string> services_chain_rules(Family family) {
  std::vector<std::string> rules;
  const bool v6 = family == Family::kIPv6;
  // iptables-save prints ICMP types as numbers: echo-request 8 / 128, destination-unreachable
  // 3 / 1, time-exceeded 11 / 3, neighbor-solicitation 135, -advertisement 136, echo-reply 129.
  const auto icmp = [&](std::string_view comment, int type) {
    rules.push_back(v6 ? fmt::format("-p ipv6-icmp -m comment --comment \"{}\" -m icmp6 "
                                     "--icmpv6-type {} -j ACCEPT",
                                     comment, type)
                       : fmt::format("-p icmp -m comment --comment \"{}\" -m icmp --icmp-type {} "
                                     "-j ACCEPT",
                                     comment, type));
  };
  icmp("allow icmp echo requests", v6 ? 128 : 8);
  icmp("allow icmp destination unreachable messages", v6 ? 1 : 3);
  icmp("allow icmp time exceeded messages", v6 ? 3 : 11);
  if (v6) {
    icmp("allow icmp neighbor solicitation messages", 135);
    icmp("allow icmp neighbor advertisement messages", 136);
    icmp("allow icmp echo reply messages", 129);
  }
  rules.push_back(fmt::format(
      "-m comment --comment \"allow input traffic to ipvs services\" -m set --match-set {} "
      "dst,dst -j ACCEPT",
      set_name(kServicePortsSet, family)));
  rules.push_back(fmt::format(
      "-m comment --comment \"reject all unexpected traffic to service IPs\" -m set ! "
      "--match-set {} dst -j REJECT --reject-with {}",
      set_name(kLocalIpsSet, family), v6 ? "icmp6-port-unreachable" : "icmp-port-unreachable"));
  return rules;
}

std::string services_jump_rule(Family family) {
  return fmt::format(
      "-m comment --comment \"handle traffic to IPVS service IPs in custom chain\" -m set "
      "--match-set {} dst -j {}",
      set_name(kServiceIpsSet, family), kServicesChain);
}

}  // namespace kr::proxy
