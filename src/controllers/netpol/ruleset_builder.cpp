#include "controllers/netpol/ruleset_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "controllers/netpol/build_cache.h"
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

// The pod's chain, kept while the policy chains it jumps to are the same.
const netfilter::StringList& pod_chain(const PodEntry& pod, const PodRules& rules,
                                       const std::string& ip, Family f,
                                       const std::vector<PolicyJump>& jumps, BuildCache& cache) {
  std::string inputs;
  for (const PolicyJump& j : jumps) {
    append_text(inputs, j.chain);
    append_version(inputs, static_cast<uint64_t>(j.direction));
    append_text(inputs, j.policy_key);
  }
  return cache.pod_chain(pod, f, inputs, [&] { return pod_chain_rules(rules, ip, f, jumps); });
}

FamilyRuleset build_family(Family f, const std::vector<ResolvedPolicy>& policies,
                           const ClusterIndex& cluster, const FirewallSettings& settings,
                           const std::vector<Cidr>& pod_cidrs, BuildCache& cache,
                           DesiredState& state) {
  FamilyRuleset out;
  out.filter.pinned = hook_rules();
  out.filter.chains[std::string(kCommonChain)] = common_chain(f);
  out.filter.chains[std::string(kDefaultChain)] = default_chain();
  out.filter.chains[std::string(kTailChain)] = tail_chain(f, settings, pod_cidrs);

  // Which policy chains each local pod is handed to.
  std::unordered_map<const PodEntry*, std::vector<PolicyJump>> jumps;
  PolicyChainBuilder chains(cluster, f, cache, out);
  for (const ResolvedPolicy& policy : policies) {
    if (!policy.has_local_targets) {
      continue;  // enforced on other nodes only
    }
    std::vector<const PodEntry*> local;
    for (const PodEntry* p : policy.targets->pods) {
      if (p->local && !p->ips_of(f).empty()) {
        local.push_back(p);
      }
    }
    if (local.empty()) {
      continue;  // no address in this family
    }
    for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
      if (!policy.spec->has(d)) {
        continue;
      }
      const std::string& chain = chains.add(policy, d);
      ++state.policy_chains;
      for (const PodEntry* p : local) {
        jumps[p].push_back({chain, d, policy.spec->key});
      }
    }
  }

  // The KUBE-ROUTER-* chains: the exemptions, every local pod's jumps (newest first; upstream
  // leaves the order unspecified), the tail; kept while the local pods are the same.
  const std::vector<std::string> exemptions = input_exemptions(f, settings);
  std::vector<std::pair<uint64_t, const PodEntry*>> newest_first;
  for (const PodEntry* pod : cluster.pods()) {
    if (pod->local && !pod->ips_of(f).empty()) {
      newest_first.emplace_back(cache.jumps_arrival(*pod, f), pod);
    }
  }
  std::sort(newest_first.begin(), newest_first.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  std::string inputs;
  std::vector<const PodEntry*> local_pods;
  for (const std::string& rule : exemptions) append_text(inputs, rule);
  for (const auto& [arrival, pod] : newest_first) {
    local_pods.push_back(pod);
    append_version(inputs, pod->serial);
  }
  const std::vector<netfilter::StringList>& top =
      cache.chains(fmt::format("top-level {}", family_name(f)), inputs, [&] {
        std::vector<std::string> input = exemptions, forward, output;
        for (const PodEntry* pod : local_pods) {
          const std::string& ip = pod->ips_of(f).front();
          const PodRules& rules =
              cache.pod_rules(*pod, f, [&] { return make_pod_rules(*pod, ip, f); });
          input.insert(input.end(), rules.input.begin(), rules.input.end());
          forward.insert(forward.end(), rules.forward.begin(), rules.forward.end());
          output.insert(output.end(), rules.output.begin(), rules.output.end());
        }
        for (auto* chain : {&input, &forward, &output}) {
          for (std::string& rule : top_level_tail()) {
            chain->push_back(std::move(rule));
          }
        }
        return std::vector<std::vector<std::string>>{std::move(input), std::move(forward),
                                                     std::move(output)};
      });
  out.filter.chains[std::string(kInputChain)] = top[0];
  out.filter.chains[std::string(kForwardChain)] = top[1];
  out.filter.chains[std::string(kOutputChain)] = top[2];

  std::vector<std::string> programmed;
  static const std::vector<PolicyJump> kNoJumps;
  for (const PodEntry* pod : local_pods) {
    // Upstream guards one address per family: the first (netpol.md §10).
    const std::string& ip = pod->ips_of(f).front();
    const PodRules& rules = cache.pod_rules(*pod, f, [&] { return make_pod_rules(*pod, ip, f); });
    const auto it = jumps.find(pod);
    out.filter.chains[rules.chain] =
        pod_chain(*pod, rules, ip, f, it == jumps.end() ? kNoJumps : it->second, cache);
    programmed.push_back(ip);
  }

  state.policy_ipsets += out.ipsets.size();
  if (settings.default_deny) {
    std::sort(programmed.begin(), programmed.end());
    out.ipsets[local_pods_set_name(f)] = netfilter::IpsetSpec{"hash:ip", f, std::move(programmed)};
  }
  return out;
}

}  // namespace

DesiredState build_desired_state(const ClusterState& cluster_state, const NodeFacts& node,
                                 const FirewallSettings& settings, BuildCache* cache) {
  BuildCache local_cache;
  BuildCache& memo = cache ? *cache : local_cache;
  memo.begin_pass(node);
  DesiredState state;
  {
    const ClusterIndex cluster(cluster_state, memo, state.problems);
    const std::vector<Cidr> pod_cidrs = node_pod_cidrs(node, state.problems);

    std::vector<const CompiledPolicy*> compiled;
    for (const auto& p : cluster_state.policies) {
      const PolicyCompilation& c = memo.policy(p);
      state.problems.insert(state.problems.end(), c.problems.begin(), c.problems.end());
      if (c.policy) compiled.push_back(&*c.policy);
    }
    std::sort(compiled.begin(), compiled.end(),
              [](const CompiledPolicy* a, const CompiledPolicy* b) { return a->key < b->key; });
    std::vector<ResolvedPolicy> policies;
    policies.reserve(compiled.size());
    for (const CompiledPolicy* p : compiled) {
      policies.push_back(resolve(*p, cluster, /*only_for_local_targets=*/true));
    }

    for (const Family f : netfilter::kFamilies) {
      if (settings.enabled(f)) {
        state.family(f) = build_family(f, policies, cluster, settings, pod_cidrs, memo, state);
      }
    }
  }
  memo.end_pass();
  std::sort(state.problems.begin(), state.problems.end());
  return state;
}

}  // namespace kr::netpol
