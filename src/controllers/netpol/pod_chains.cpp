#include "controllers/netpol/pod_chains.h"

#include <fmt/format.h>

#include <algorithm>

#include "controllers/netpol/rule_text.h"
#include "controllers/netpol/static_chains.h"

namespace kr::netpol {

std::vector<std::string> pod_chain_rules(const PodEntry& pod, std::string_view ip, Family f,
                                         const std::vector<PolicyJump>& jumps) {
  const std::string key = fmt::format("{}/{}", pod.ns, pod.name);
  const auto has = [&](Direction d) {
    return std::any_of(jumps.begin(), jumps.end(),
                       [d](const PolicyJump& j) { return j.direction == d; });
  };
  std::vector<std::string> rules;
  rules.push_back(Rule().comment("common netpol rules").jump(kCommonChain));
  // Kubelet probes, host processes and hostNetwork pods on this node always reach the pod.
  rules.push_back(Rule()
                      .destination_ip(ip, f)
                      .comment("from local node")
                      .match("-m addrtype --src-type LOCAL")
                      .jump("ACCEPT"));
  if (!has(Direction::kEgress)) {
    rules.push_back(Rule().source_ip(ip, f).comment("default egress").jump(kDefaultChain));
  }
  if (!has(Direction::kIngress)) {
    rules.push_back(Rule().destination_ip(ip, f).comment("default ingress").jump(kDefaultChain));
  }
  for (const PolicyJump& j : jumps) {
    Rule r;
    if (j.direction == Direction::kIngress) {
      r.destination_ip(ip, f);
    } else {
      r.source_ip(ip, f);
    }
    rules.push_back(r.comment(j.policy_key + " policy").jump(j.chain));
  }
  const std::string not_allowed = fmt::format("-m mark ! --mark {}", kMarkAllowed);
  rules.push_back(Rule()
                      .comment(key + " log-drop")
                      .match(not_allowed)
                      .match("-m limit --limit 10/min --limit-burst 10")
                      .jump("NFLOG --nflog-group 100"));
  rules.push_back(Rule()
                      .comment(key + " reject")
                      .match(not_allowed)
                      .jump(f == Family::kIPv4 ? "REJECT --reject-with icmp-port-unreachable"
                                               : "REJECT --reject-with icmp6-port-unreachable"));
  rules.push_back(Rule().jump("MARK --set-xmark 0x0/0x10000"));
  rules.push_back(
      Rule().comment("set netpol-ok mark").jump(fmt::format("MARK --set-xmark {}", kMarkPassed)));
  return rules;
}

void add_pod_jumps(const PodEntry& pod, std::string_view ip, Family f, const std::string& chain,
                   TopLevelJumps& out) {
  const std::string in = fmt::format("{}/{} in", pod.ns, pod.name);
  const std::string outbound = fmt::format("{}/{} out", pod.ns, pod.name);
  constexpr std::string_view kBridged = "-m physdev --physdev-is-bridged";
  out.forward.push_back(Rule().destination_ip(ip, f).comment(in).jump(chain));
  out.forward.push_back(Rule().destination_ip(ip, f).comment(in).match(kBridged).jump(chain));
  out.forward.push_back(Rule().source_ip(ip, f).comment(outbound).jump(chain));
  out.forward.push_back(Rule().source_ip(ip, f).comment(outbound).match(kBridged).jump(chain));
  out.output.push_back(Rule().destination_ip(ip, f).comment(in).jump(chain));
  out.output.push_back(Rule().source_ip(ip, f).comment(outbound).jump(chain));
  out.input.push_back(Rule().source_ip(ip, f).comment(outbound).jump(chain));
}

}  // namespace kr::netpol
