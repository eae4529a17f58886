#include "controllers/netpol/pod_chains.h"

#include <fmt/format.h>

#include <algorithm>

#include "controllers/netpol/rule_text.h"
#include "controllers/netpol/static_chains.h"

namespace kr::netpol {

PodRules make_pod_rules(const PodEntry& pod, std::string_view ip, Family f) {
  const std::string key = fmt::format("{}/{}", pod.ns, pod.name);
  PodRules r;
  r.chain = pod_chain_name(pod.ns, pod.name);
  r.head.push_back(Rule().comment("common netpol rules").jump(kCommonChain));
  // Kubelet probes, host processes and hostNetwork pods on this node always reach the pod.
  r.head.push_back(Rule()
                       .destination_ip(ip, f)
                       .comment("from local node")
                       .match("-m addrtype --src-type LOCAL")
                       .jump("ACCEPT"));
  r.default_egress = Rule().source_ip(ip, f).comment("default egress").jump(kDefaultChain);
  r.default_ingress = Rule().destination_ip(ip, f).comment("default ingress").jump(kDefaultChain);
  const std::string not_allowed = fmt::format("-m mark ! --mark {}", kMarkAllowed);
  r.tail.push_back(Rule()
                       .comment(key + " log-drop")
                       .match(not_allowed)
                       .match("-m limit --limit 10/min --limit-burst 10")
                       .jump("NFLOG --nflog-group 100"));
  r.tail.push_back(Rule()
                       .comment(key + " reject")
                       .match(not_allowed)
                       .jump(f == Family::kIPv4 ? "REJECT --reject-with icmp-port-unreachable"
                                                : "REJECT --reject-with icmp6-port-unreachable"));
  r.tail.push_back(Rule().jump("MARK --set-xmark 0x0/0x10000"));
  r.tail.push_back(
      Rule().comment("set netpol-ok mark").jump(fmt::format("MARK --set-xmark {}", kMarkPassed)));

  const std::string in = key + " in";
  const std::string out = key + " out";
  constexpr std::string_view kBridged = "-m physdev --physdev-is-bridged";
  r.forward.push_back(Rule().destination_ip(ip, f).comment(in).jump(r.chain));
  r.forward.push_back(Rule().destination_ip(ip, f).comment(in).match(kBridged).jump(r.chain));
  r.forward.push_back(Rule().source_ip(ip, f).comment(out).jump(r.chain));
  r.forward.push_back(Rule().source_ip(ip, f).comment(out).match(kBridged).jump(r.chain));
  r.output.push_back(Rule().destination_ip(ip, f).comment(in).jump(r.chain));
  r.output.push_back(Rule().source_ip(ip, f).comment(out).jump(r.chain));
  r.input.push_back(Rule().source_ip(ip, f).comment(out).jump(r.chain));
  return r;
}

std::vector<std::string> pod_chain_rules(const PodRules& pod, std::string_view ip, Family f,
                                         const std::vector<PolicyJump>& jumps) {
  const auto has = [&](Direction d) {
    return std::any_of(jumps.begin(), jumps.end(),
                       [d](const PolicyJump& j) { return j.direction == d; });
  };
  std::vector<std::string> rules;
  rules.reserve(pod.head.size() + 2 + jumps.size() + pod.tail.size());
  rules = pod.head;
  if (!has(Direction::kEgress)) {
    rules.push_back(pod.default_egress);
  }
  if (!has(Direction::kIngress)) {
    rules.push_back(pod.default_ingress);
  }
  for (const PolicyJump& j : jumps) {
    Rule r;
    if (j.direction == Direction::kIngress) {
      r.destination_ip(ip, f);
    } else {
      r.source_ip(ip, f);
    }
    rules.push_back(r.comment(fmt::format("{} policy", j.policy_key)).jump(j.chain));
  }
  rules.insert(rules.end(), pod.tail.begin(), pod.tail.end());
  return rules;
}

}  // namespace kr::netpol
