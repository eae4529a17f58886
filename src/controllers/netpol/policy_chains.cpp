#include "controllers/netpol/policy_chains.h"

#include <fmt/format.h>

#include <algorithm>

#include "controllers/netpol/names.h"
#include "controllers/netpol/rule_text.h"

namespace kr::netpol {

// What one rule matches on in this family: the sets with members, and per port (in the rule's
// order) the groups of a named port.
struct PolicyChainBuilder::RuleSets {
  const std::string* pods_set = nullptr;  // null: no pod peer with an address in the family
  const netfilter::StringList* pods_members = nullptr;
  const std::string* blocks_set = nullptr;  // null: no ipBlock in the family
  const netfilter::StringList* block_members = nullptr;
  std::vector<const BuildCache::PortGroups*> named;  // null for a numbered port

  // Whether the rule allows anything: some peer and some port.
  bool matches(const CompiledRule& rule) const {
    const bool peer = rule.any_peer || pods_set || blocks_set;
    const bool port = rule.ports.empty() || std::any_of(named.begin(), named.end(), [](auto* g) {
                        return !g || !g->by_number.empty();
                      });
    return peer && port;
  }
};

namespace {

// One way a rule's peers can match: a set of peer addresses, or anything.
struct PeerMatch {
  std::string_view set;   // empty: any peer
  std::string_view kind;  // "pods", "cidr", "any" (comment)
};

// One way a rule's ports can match.
struct PortMatch {
  std::string_view protocol;  // empty: any protocol and port
  int first = 0;              // 0: every port of the protocol
  int last = 0;
  std::string_view named_set;  // destinations on which a named port has this number
};

}  // namespace

const BuildCache::PortGroups& PolicyChainBuilder::named_port_groups(const ResolvedPolicy& policy,
                                                                    Direction d,
                                                                    const PortSpec& port) {
  const auto addresses = [&](const std::vector<const PodEntry*>& pods) {
    std::map<int, std::vector<std::string>> groups;
    for (const PodEntry* p : pods) {
      if (p->ips_of(family_).empty()) continue;
      if (const auto number = named_port(*p->pod, port.protocol, port.name)) {
        auto& ips = groups[*number];
        ips.insert(ips.end(), p->ips_of(family_).begin(), p->ips_of(family_).end());
      }
    }
    return groups;
  };
  const auto name_set = [&](int number) {
    return set_name("KUBE-DST-", family_, fmt::format("{}={}", port.named_definition, number));
  };
  const std::string key = fmt::format("{} {}", family_name(family_), port.named_definition);
  std::string inputs;
  // Named ports are destination ports: for ingress the policy's own pods.
  if (d == Direction::kIngress) {
    append_version(inputs, policy.targets->version);
    return cache_.port_groups(
        key, inputs, [&] { return addresses(policy.targets->pods); }, name_set);
  }
  // For egress every pod in the cluster (the rule's peer sets then narrow the destinations
  // down): the merge of each namespace's groups, so that a pod's change sorts its namespace's
  // addresses again, not the cluster's. Many policies name the same port: once per pass.
  const auto known = cluster_groups_.find(port.named_definition);
  if (known != cluster_groups_.end()) {
    return *known->second;
  }
  std::vector<const BuildCache::PortGroups*> parts;
  for (const std::string_view ns : cluster_.namespaces()) {
    std::string part_inputs;
    append_version(part_inputs, cluster_.pods_version(ns));
    parts.push_back(&cache_.port_groups(
        fmt::format("{} in {}", key, ns), part_inputs,
        [&] { return addresses(cluster_.pods_in(ns)); }, [](int) { return std::string(); }));
    append_version(inputs, parts.back()->version);
  }
  const BuildCache::PortGroups& groups = cache_.port_groups(
      key, inputs,
      [&] {
        // Merged by address (each part is sorted), copying the addresses once at the end.
        std::map<int, std::vector<const std::string*>> sorted;
        const auto by_text = [](const std::string* a, const std::string* b) { return *a < *b; };
        for (const BuildCache::PortGroups* part : parts) {
          for (const auto& [number, group] : part->by_number) {
            std::vector<const std::string*>& ips = sorted[number];
            const size_t middle = ips.size();
            for (const std::string& ip : group.members) ips.push_back(&ip);
            std::inplace_merge(ips.begin(), ips.begin() + static_cast<long>(middle), ips.end(),
                               by_text);
          }
        }
        std::map<int, std::vector<std::string>> merged;
        for (const auto& [number, ips] : sorted) {
          std::vector<std::string>& out = merged[number];
          out.reserve(ips.size());
          for (const std::string* ip : ips) out.push_back(*ip);
        }
        return merged;
      },
      name_set);
  cluster_groups_.emplace(port.named_definition, &groups);
  return groups;
}

PolicyChainBuilder::RuleSets PolicyChainBuilder::add_sets(const ResolvedPolicy& policy,
                                                          const ResolvedRule& rule, Direction d) {
  const CompiledRule& spec = *rule.spec;
  const int f = static_cast<int>(family_);
  RuleSets sets;
  if (rule.pods) {
    std::string inputs;
    append_version(inputs, rule.pods->version);
    const netfilter::StringList& members = cache_.set_members(spec.pods_set[f], inputs, [&] {
      std::vector<std::string> ips;
      for (const PodEntry* p : rule.pods->pods) {
        ips.insert(ips.end(), p->ips_of(family_).begin(), p->ips_of(family_).end());
      }
      std::sort(ips.begin(), ips.end());
      ips.erase(std::unique(ips.begin(), ips.end()), ips.end());
      return ips;
    });
    if (!members.empty()) {
      sets.pods_set = &spec.pods_set[f];
      sets.pods_members = &members;
    }
  }
  if (!spec.blocks_set[f].empty()) {
    sets.blocks_set = &spec.blocks_set[f];
    sets.block_members = &spec.block_members[f];
  }
  for (const PortSpec& port : spec.ports) {
    sets.named.push_back(port.name.empty() ? nullptr : &named_port_groups(policy, d, port));
  }
  if (!sets.matches(spec)) {
    return sets;  // no rule will use them
  }
  if (sets.pods_set) {
    out_.ipsets.try_emplace(*sets.pods_set,
                            netfilter::IpsetSpec{"hash:ip", family_, *sets.pods_members});
  }
  if (sets.blocks_set) {
    out_.ipsets.try_emplace(*sets.blocks_set,
                            netfilter::IpsetSpec{"hash:net", family_, *sets.block_members});
  }
  for (const BuildCache::PortGroups* groups : sets.named) {
    if (!groups) continue;
    for (const auto& [number, group] : groups->by_number) {
      out_.ipsets.try_emplace(group.set, netfilter::IpsetSpec{"hash:ip", family_, group.members});
    }
  }
  return sets;
}

const std::string& PolicyChainBuilder::add(const ResolvedPolicy& policy, Direction d) {
  const CompiledPolicy& spec = *policy.spec;
  // The rules depend on the policy, on which peer sets have members and on the numbers named
  // ports have; the members themselves are in the sets.
  std::string inputs;
  append_version(inputs, spec.serial);
  std::vector<RuleSets> sets;
  sets.reserve(policy.rules(d).size());
  for (const ResolvedRule& rule : policy.rules(d)) {
    sets.push_back(add_sets(policy, rule, d));
    append_version(inputs, sets.back().pods_set != nullptr);
    for (const BuildCache::PortGroups* groups : sets.back().named) {
      append_version(inputs, groups ? groups->numbers_version : 0);
    }
  }
  const std::string& chain = spec.chain_names[static_cast<int>(d)][static_cast<int>(family_)];
  out_.filter.chains[chain] =
      cache_.policy_chain(chain, inputs, [&] { return make_rules(policy, d, sets); });
  return chain;
}

std::vector<std::string> PolicyChainBuilder::make_rules(const ResolvedPolicy& policy, Direction d,
                                                        const std::vector<RuleSets>& sets) const {
  const CompiledPolicy& spec = *policy.spec;
  std::vector<std::string> rules;
  for (size_t i = 0; i < sets.size(); ++i) {
    const CompiledRule& rule = *policy.rules(d)[i].spec;
    std::vector<PeerMatch> peers;
    if (rule.any_peer) {
      peers.push_back({"", "any"});
    }
    if (sets[i].pods_set) peers.push_back({*sets[i].pods_set, "pods"});
    if (sets[i].blocks_set) peers.push_back({*sets[i].blocks_set, "cidr"});
    std::vector<PortMatch> ports;
    if (rule.ports.empty()) {
      ports.emplace_back();
    }
    for (size_t p = 0; p < rule.ports.size(); ++p) {
      const PortSpec& port = rule.ports[p];
      if (!sets[i].named[p]) {
        ports.push_back({port.protocol, port.port.value_or(0), port.end_port.value_or(0), ""});
        continue;
      }
      for (const auto& [number, group] : sets[i].named[p]->by_number) {
        ports.push_back({port.protocol, number, number, group.set});
      }
    }
    if (!sets[i].matches(rule)) {
      continue;  // no peer in this family, or named ports found on no pod: allows nothing
    }
    for (const PeerMatch& peer : peers) {
      for (const PortMatch& port : ports) {
        Rule match;
        if (!port.protocol.empty()) {
          match.protocol(port.protocol);
        }
        match.comment(fmt::format("{} {} {}{}", spec.key, direction_name(d), peer.kind,
                                  port.named_set.empty() ? "" : " np"));
        if (!peer.set.empty()) {
          match.match_set(peer.set, d == Direction::kIngress ? "src" : "dst");
        }
        if (!port.named_set.empty()) {
          match.match_set(port.named_set, "dst");
        }
        if (port.first > 0) {
          match.dport(port.first, port.last);
        }
        rules.push_back(match.jump(fmt::format("MARK --set-xmark {}", kMarkAllowed)));
        rules.push_back(match.match(fmt::format("-m mark --mark {}", kMarkAllowed)).jump("RETURN"));
      }
    }
  }
  return rules;
}

}  // namespace kr::netpol
