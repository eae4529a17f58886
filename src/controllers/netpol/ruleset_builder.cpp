#include "controllers/netpol/ruleset_builder.h"

#include <algorithm>
#include <unordered_map>

#include "controllers/netpol/cluster_index.h"
#include "controllers/netpol/names.h"
#include "controllers/netpol/pod_chains.h"
#include "controllers/netpol/policy_chains.h"
#include "controllers/netpol/policy_resolver.h"
#include "controllers/netpol/static_chains.h"

namespace kr::netpol {
namespace {

std::vector<Cidr> node_pod_cidrs(const NodeFacts& node, std::vector<Problem>& problems) {
  std::vector<Cidr> out;
  for (const std::string& text : node.pod_cidrs) {
    if (auto c = parse_cidr(text)) {
      out.push_back(*c);
    } else {
      problems.push_back({"node", node.name, "pod CIDR '" + text + "' is not a CIDR"});
    }
  }
  return out;
}

FamilyRuleset build_family(Family f, const std::vector<ResolvedPolicy>& policies,
                           const ClusterIndex& cluster, const FirewallSettings& settings,
                           const std::vector<Cidr>& pod_cidrs, DesiredState& state) {
  FamilyRuleset out;
  out.filter.pinned = hook_rules();
  out.filter.chains[std::string(kCommonChain)] = common_chain(f);
  out.filter.chains[std::string(kDefaultChain)] = default_chain();
  out.filter.chains[std::string(kTailChain)] = tail_chain(f, settings, pod_cidrs);

  // Which policy chains each local pod is handed to.
  std::unordered_map<const PodEntry*, std::vector<PolicyJump>> jumps;
  for (const ResolvedPolicy& policy : policies) {
    std::vector<const PodEntry*> local;
    for (const PodEntry* p : policy.targets) {
      if (p->local && !p->ips_of(f).empty()) {
        local.push_back(p);
      }
    }
    if (local.empty()) {
      continue;  // enforced on other nodes only
    }
    for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
      if (!policy.has(d)) {
        continue;
      }
      std::string chain = add_policy_chain(policy, d, f, cluster, out);
      ++state.policy_chains;
      for (const PodEntry* p : local) {
        jumps[p].push_back({chain, d, policy.key});
      }
    }
  }

  TopLevelJumps top;
  std::vector<std::string> programmed;
  for (const PodEntry& pod : cluster.pods()) {
    if (!pod.local || pod.ips_of(f).empty()) {
      continue;
    }
    // Upstream guards one address per family: the first (netpol.md §10).
    const std::string& ip = pod.ips_of(f).front();
    const std::string chain = pod_chain_name(pod.ns, pod.name);
    const auto it = jumps.find(&pod);
    out.filter.chains[chain] =
        pod_chain_rules(pod, ip, f, it == jumps.end() ? std::vector<PolicyJump>{} : it->second);
    add_pod_jumps(pod, ip, f, chain, top);
    programmed.push_back(ip);
  }

  std::vector<std::string> input = input_exemptions(f, settings);
  input.insert(input.end(), top.input.begin(), top.input.end());
  for (auto* chain : {&input, &top.forward, &top.output}) {
    for (std::string& rule : top_level_tail()) {
      chain->push_back(std::move(rule));
    }
  }
  out.filter.chains[std::string(kInputChain)] = std::move(input);
  out.filter.chains[std::string(kForwardChain)] = std::move(top.forward);
  out.filter.chains[std::string(kOutputChain)] = std::move(top.output);

  state.policy_ipsets += out.ipsets.size();
  if (settings.default_deny) {
    std::sort(programmed.begin(), programmed.end());
    out.ipsets[local_pods_set_name(f)] = netfilter::IpsetSpec{"hash:ip", f, std::move(programmed)};
  }
  return out;
}

}  // namespace

DesiredState build_desired_state(const ClusterState& cluster_state, const NodeFacts& node,
                                 const FirewallSettings& settings) {
  DesiredState state;
  const ClusterIndex cluster(cluster_state, node, state.problems);
  const std::vector<Cidr> pod_cidrs = node_pod_cidrs(node, state.problems);

  std::vector<const k8s::NetworkPolicy*> sorted;
  for (const auto& p : cluster_state.policies) {
    sorted.push_back(p.get());
  }
  std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) {
    return a->meta.namespace_ != b->meta.namespace_ ? a->meta.namespace_ < b->meta.namespace_
                                                    : a->meta.name < b->meta.name;
  });
  std::vector<ResolvedPolicy> policies;
  for (const k8s::NetworkPolicy* p : sorted) {
    if (auto resolved = resolve_policy(*p, cluster, state.problems)) {
      policies.push_back(std::move(*resolved));
    }
  }

  for (const Family f : netfilter::kFamilies) {
    if (settings.enabled(f)) {
      state.family(f) = build_family(f, policies, cluster, settings, pod_cidrs, state);
    }
  }
  std::sort(state.problems.begin(), state.problems.end());
  return state;
}

}  // namespace kr::netpol
