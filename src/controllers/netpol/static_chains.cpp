#include "controllers/netpol/static_chains.h"

#include <fmt/format.h>

#include "controllers/netpol/names.h"
#include "controllers/netpol/rule_text.h"

namespace kr::netpol {
namespace {

std::string_view reject_target(Family f) {
  return f == Family::kIPv4 ? "REJECT --reject-with icmp-port-unreachable"
                            : "REJECT --reject-with icmp6-port-unreachable";
}

}  // namespace

bool is_firewall_chain(std::string_view chain) {
  return chain == kInputChain || chain == kForwardChain || chain == kOutputChain ||
         chain.starts_with("KUBE-NWPLCY-") || chain.starts_with("KUBE-POD-FW-");
}

bool is_firewall_ipset(std::string_view set) {
  if (set.starts_with("inet6:")) {
    set.remove_prefix(6);
  }
  return set.starts_with("KUBE-SRC-") || set.starts_with("KUBE-DST-") ||
         set == "kube-router-local-pods";
}

std::vector<netfilter::PinnedRule> hook_rules() {
  // Upstream's comment carries a hash of the rule as a suffix (netpol.md §7.1); these are its
  // values for the three hooks.
  return {
      {"INPUT", Rule().comment("kube-router netpol - 4IA2OSFRMVNDXBVV").jump(kInputChain)},
      {"FORWARD", Rule().comment("kube-router netpol - TEMCG2JMHZYE7H7T").jump(kForwardChain)},
      {"OUTPUT", Rule().comment("kube-router netpol - VEAAIY32XVBHCSCY").jump(kOutputChain)},
  };
}

std::vector<std::string> common_chain(Family f) {
  std::vector<std::string> rules = {
      Rule()
          .comment("rule to drop invalid state for pod")
          .match("-m conntrack --ctstate INVALID")
          .jump("DROP"),
      Rule()
          .comment("rule for stateful firewall for pod")
          .match("-m conntrack --ctstate RELATED,ESTABLISHED")
          .jump("ACCEPT"),
  };
  // ICMP that must pass whatever the policies say: ping, and the errors path MTU discovery
  // and traceroute depend on; for IPv6 also neighbour discovery (netpol.md §7.4). iptables-save
  // prints the types by number.
  struct IcmpType {
    int type;
    std::string_view comment;
  };
  const std::vector<IcmpType> types =
      f == Family::kIPv4
          ? std::vector<IcmpType>{{8, "allow icmp echo requests"},
                                  {3, "allow icmp destination unreachable messages"},
                                  {11, "allow icmp time exceeded messages"}}
          : std::vector<IcmpType>{{128, "allow icmp echo requests"},
                                  {1, "allow icmp destination unreachable messages"},
                                  {3, "allow icmp time exceeded messages"},
                                  {135, "allow icmp neighbor solicitation messages"},
                                  {136, "allow icmp neighbor advertisement messages"},
                                  {129, "allow icmp echo reply messages"}};
  for (const IcmpType& t : types) {
    rules.push_back(Rule()
                        .protocol(f == Family::kIPv4 ? "icmp" : "ipv6-icmp")
                        .comment(t.comment)
                        .match(f == Family::kIPv4
                                   ? fmt::format("-m icmp --icmp-type {}", t.type)
                                   : fmt::format("-m icmp6 --icmpv6-type {}", t.type))
                        .jump("ACCEPT"));
  }
  return rules;
}

std::vector<std::string> default_chain() {
  return {Rule()
              .comment("rule to mark traffic matching a network policy")
              .jump(fmt::format("MARK --set-xmark {}", kMarkAllowed))};
}

std::vector<std::string> tail_chain(Family f, const FirewallSettings& settings,
                                    const std::vector<Cidr>& pod_cidrs) {
  const std::string accept = Rule()
                                 .comment("accept netpol-ok")
                                 .match(fmt::format("-m mark --mark {}", kMarkPassed))
                                 .jump("ACCEPT");
  if (!settings.default_deny) {
    return {accept};
  }
  std::vector<std::string> rules;
  const std::string set = local_pods_set_name(f);
  for (const Cidr& c : pod_cidrs) {
    if (c.family != f) continue;
    rules.push_back(Rule()
                        .source(c.text())
                        .comment("reject unprogrammed local pod (default-deny)")
                        .match_set(set, "src", true)
                        .jump(reject_target(f)));
    rules.push_back(Rule()
                        .destination(c.text())
                        .comment("reject unprogrammed local pod (default-deny)")
                        .match_set(set, "dst", true)
                        .jump(reject_target(f)));
  }
  rules.push_back(accept);
  for (const Cidr& c : pod_cidrs) {
    if (c.family != f) continue;
    rules.push_back(
        Rule().source(c.text()).comment("reject pre-netpol (default-deny)").jump(reject_target(f)));
    rules.push_back(Rule()
                        .destination(c.text())
                        .comment("reject pre-netpol (default-deny)")
                        .jump(reject_target(f)));
  }
  return rules;
}

std::vector<std::string> input_exemptions(Family f, const FirewallSettings& settings) {
  std::vector<std::string> rules;
  int cluster_index = 0;
  for (const Cidr& c : settings.cluster_ip_ranges) {
    if (c.family != f) continue;
    rules.push_back(Rule()
                        .destination(c.text())
                        .comment(cluster_index++ == 0
                                     ? "allow traffic to primary cluster IP range"
                                     : "allow traffic to secondary cluster IP range")
                        .jump("RETURN"));
  }
  for (const std::string_view proto : {"TCP", "UDP", "SCTP"}) {
    rules.push_back(
        Rule()
            .protocol(proto)
            .comment(fmt::format("allow LOCAL {} traffic to node ports", proto))
            .match(fmt::format("-m addrtype --dst-type LOCAL -m multiport --dports {}:{}",
                               settings.node_port_first, settings.node_port_last))
            .jump("RETURN"));
  }
  for (const Cidr& c : settings.external_ip_ranges) {
    if (c.family != f) continue;
    rules.push_back(Rule()
                        .destination(c.text())
                        .comment("allow traffic to external IP range: " + c.text())
                        .jump("RETURN"));
  }
  for (const Cidr& c : settings.loadbalancer_ip_ranges) {
    if (c.family != f) continue;
    rules.push_back(Rule()
                        .destination(c.text())
                        .comment("allow traffic to load balancer IP range: " + c.text())
                        .jump("RETURN"));
  }
  return rules;
}

std::vector<std::string> top_level_tail() {
  return {
      Rule()
          .comment("rule to explicitly handle traffic for network policies ACCEPT/REJECT decision")
          .jump(kTailChain),
      Rule()
          .comment("rule to explicitly ACCEPT traffic that comply to network policies")
          .match(fmt::format("-m mark --mark {}", kMarkPassed))
          .jump("ACCEPT"),
  };
}

}  // namespace kr::netpol
