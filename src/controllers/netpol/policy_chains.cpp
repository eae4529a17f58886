#include "controllers/netpol/policy_chains.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "controllers/netpol/names.h"
#include "controllers/netpol/rule_text.h"

namespace kr::netpol {
namespace {

// One way a rule's peers can match: a set of peer addresses, or anything.
struct PeerMatch {
  std::string set;        // empty: any peer
  std::string_view kind;  // "pods", "cidr", "any" (comment)
};

// One way a rule's ports can match.
struct PortMatch {
  std::string protocol;  // empty: any protocol and port
  int first = 0;         // 0: every port of the protocol
  int last = 0;
  std::string named_set;  // destinations on which a named port has this number
};

void add_set(netfilter::DesiredIpsets& out, const std::string& name, std::string_view type,
             Family f, std::vector<std::string> members) {
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  out[name] = netfilter::IpsetSpec{std::string(type), f, std::move(members)};
}

std::vector<PeerMatch> peer_matches(const ResolvedPolicy& policy, const ResolvedRule& rule,
                                    size_t index, Direction d, Family f,
                                    netfilter::DesiredIpsets& out) {
  if (rule.any_peer) {
    return {{"", "any"}};
  }
  const std::string_view ns = policy.policy->meta.namespace_.view();
  const std::string& name = policy.policy->meta.name;
  std::vector<PeerMatch> matches;
  std::vector<std::string> ips;
  for (const PodEntry* p : rule.pods) {
    ips.insert(ips.end(), p->ips_of(f).begin(), p->ips_of(f).end());
  }
  if (!ips.empty()) {
    const std::string set = peer_pods_set_name(ns, name, d, index, f);
    add_set(out, set, "hash:ip", f, std::move(ips));
    matches.push_back({set, "pods"});
  }
  std::vector<std::string> blocks;
  for (const Cidr& c : rule.blocks) {
    if (c.family == f) {
      blocks.push_back(c.member_text());
    }
  }
  if (!blocks.empty()) {
    const std::string set = peer_ipblock_set_name(ns, name, d, index, f);
    add_set(out, set, "hash:net", f, std::move(blocks));
    matches.push_back({set, "cidr"});
  }
  return matches;
}

// Named port j of rule `index`: on which destination pods it resolves to which number.
// Ingress: the policy's own pods; egress: every pod in the cluster (the rule's peer sets then
// narrow the destinations down).
std::vector<PortMatch> named_port_matches(const ResolvedPolicy& policy, const PortSpec& port,
                                          size_t index, size_t j, Direction d, Family f,
                                          const ClusterIndex& cluster,
                                          netfilter::DesiredIpsets& out) {
  std::map<int, std::vector<std::string>> by_number;
  const auto consider = [&](const PodEntry& p) {
    if (p.ips_of(f).empty()) return;
    if (const auto number = named_port(*p.pod, port.protocol, port.name)) {
      auto& ips = by_number[*number];
      ips.insert(ips.end(), p.ips_of(f).begin(), p.ips_of(f).end());
    }
  };
  if (d == Direction::kIngress) {
    for (const PodEntry* p : policy.targets) consider(*p);
  } else {
    for (const PodEntry& p : cluster.pods()) consider(p);
  }
  std::vector<PortMatch> matches;
  for (auto& [number, ips] : by_number) {
    const std::string set = named_port_set_name(policy.policy->meta.namespace_.view(),
                                                policy.policy->meta.name, d, index, j, f, number);
    add_set(out, set, "hash:ip", f, std::move(ips));
    matches.push_back({port.protocol, number, number, set});
  }
  return matches;
}

std::vector<PortMatch> port_matches(const ResolvedPolicy& policy, const ResolvedRule& rule,
                                    size_t index, Direction d, Family f,
                                    const ClusterIndex& cluster, netfilter::DesiredIpsets& out) {
  if (rule.ports.empty()) {
    return {PortMatch{}};
  }
  std::vector<PortMatch> matches;
  for (size_t j = 0; j < rule.ports.size(); ++j) {
    const PortSpec& port = rule.ports[j];
    if (!port.name.empty()) {
      for (PortMatch& m : named_port_matches(policy, port, index, j, d, f, cluster, out)) {
        matches.push_back(std::move(m));
      }
    } else {
      matches.push_back({port.protocol, port.port.value_or(0), port.end_port.value_or(0), ""});
    }
  }
  return matches;
}

}  // namespace

std::string add_policy_chain(const ResolvedPolicy& policy, Direction d, Family f,
                             const ClusterIndex& cluster, FamilyRuleset& out) {
  const std::string chain =
      policy_chain_name(policy.policy->meta.namespace_.view(), policy.policy->meta.name, d, f);
  std::vector<std::string>& rules = out.filter.chains[chain];
  const std::vector<ResolvedRule>& resolved = policy.rules(d);
  for (size_t i = 0; i < resolved.size(); ++i) {
    netfilter::DesiredIpsets sets;
    const std::vector<PeerMatch> peers = peer_matches(policy, resolved[i], i, d, f, sets);
    const std::vector<PortMatch> ports = port_matches(policy, resolved[i], i, d, f, cluster, sets);
    if (peers.empty() || ports.empty()) {
      continue;  // no peer in this family, or named ports found on no pod: allows nothing
    }
    out.ipsets.merge(sets);
    for (const PeerMatch& peer : peers) {
      for (const PortMatch& port : ports) {
        Rule match;
        if (!port.protocol.empty()) {
          match.protocol(port.protocol);
        }
        match.comment(fmt::format("{} {} {}{}", policy.key, direction_name(d), peer.kind,
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
  return chain;
}

}  // namespace kr::netpol
