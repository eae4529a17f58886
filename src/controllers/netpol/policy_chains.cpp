#include "controllers/netpol/policy_chains.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "controllers/netpol/names.h"
#include "controllers/netpol/rule_text.h"

namespace kr::netpol {

// One way a rule's peers can match: a set of peer addresses, or anything.
struct PolicyChainBuilder::PeerMatch {
  std::string set;        // empty: any peer
  std::string_view kind;  // "pods", "cidr", "any" (comment)
};

// One way a rule's ports can match.
struct PolicyChainBuilder::PortMatch {
  std::string protocol;  // empty: any protocol and port
  int first = 0;         // 0: every port of the protocol
  int last = 0;
  std::string named_set;  // destinations on which a named port has this number
};

namespace {

std::string_view peer_prefix(Direction d) {
  return d == Direction::kIngress ? "KUBE-SRC-" : "KUBE-DST-";
}

}  // namespace

const std::string& PolicyChainBuilder::set_name_for(std::string_view prefix,
                                                    const std::string& definition) {
  return cache_.name(fmt::format("{}{}{}", prefix, family_name(family_), definition),
                     [&] { return set_name(prefix, family_, definition); });
}

void PolicyChainBuilder::add_set(netfilter::DesiredIpsets& sets, const std::string& name,
                                 std::string_view type, std::vector<std::string> members) {
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  sets[name] = netfilter::IpsetSpec{std::string(type), family_, std::move(members)};
}

std::vector<PolicyChainBuilder::PeerMatch> PolicyChainBuilder::peer_matches(
    const ResolvedRule& rule, Direction d, netfilter::DesiredIpsets& sets) {
  if (rule.spec->any_peer) {
    return {{"", "any"}};
  }
  std::vector<PeerMatch> matches;
  if (!rule.spec->pod_peers.empty()) {
    const std::string& pods_set =
        set_name_for(peer_prefix(d), "pods:" + rule.spec->pods_definition);
    if (out_.ipsets.contains(pods_set)) {
      matches.push_back({pods_set, "pods"});  // same definition, same members: built already
    } else {
      std::vector<std::string> ips;
      for (const PodEntry* p : rule.pods) {
        ips.insert(ips.end(), p->ips_of(family_).begin(), p->ips_of(family_).end());
      }
      if (!ips.empty()) {
        add_set(sets, pods_set, "hash:ip", std::move(ips));
        matches.push_back({pods_set, "pods"});
      }
    }
  }
  std::vector<std::string> blocks;
  for (const Cidr& c : rule.spec->blocks) {
    if (c.family == family_) {
      blocks.push_back(c.member_text());
    }
  }
  if (!blocks.empty()) {
    std::sort(blocks.begin(), blocks.end());
    const std::string& set =
        set_name_for(peer_prefix(d), fmt::format("cidr:{}", fmt::join(blocks, ",")));
    if (!out_.ipsets.contains(set)) {
      add_set(sets, set, "hash:net", std::move(blocks));
    }
    matches.push_back({set, "cidr"});
  }
  return matches;
}

const std::map<int, std::vector<std::string>>& PolicyChainBuilder::named_port_groups(
    const std::string& definition, const std::vector<const PodEntry*>* pods, const PortSpec& port) {
  const auto it = named_ports_.find(definition);
  if (it != named_ports_.end()) {
    return it->second;
  }
  std::map<int, std::vector<std::string>> groups;
  const auto consider = [&](const PodEntry& p) {
    if (p.ips_of(family_).empty()) return;
    if (const auto number = named_port(*p.pod, port.protocol, port.name)) {
      auto& ips = groups[*number];
      ips.insert(ips.end(), p.ips_of(family_).begin(), p.ips_of(family_).end());
    }
  };
  if (pods) {
    for (const PodEntry* p : *pods) consider(*p);
  } else {
    for (const PodEntry& p : cluster_.pods()) consider(p);
  }
  return named_ports_.emplace(definition, std::move(groups)).first->second;
}

std::vector<PolicyChainBuilder::PortMatch> PolicyChainBuilder::port_matches(
    const ResolvedPolicy& policy, const ResolvedRule& rule, Direction d,
    netfilter::DesiredIpsets& sets) {
  if (rule.spec->ports.empty()) {
    return {PortMatch{}};
  }
  std::vector<PortMatch> matches;
  for (const PortSpec& port : rule.spec->ports) {
    if (port.name.empty()) {
      matches.push_back({port.protocol, port.port.value_or(0), port.end_port.value_or(0), ""});
      continue;
    }
    // Named ports are destination ports: for ingress the policy's own pods, for egress every
    // pod in the cluster (the rule's peer sets then narrow the destinations down).
    const bool ingress = d == Direction::kIngress;
    const std::string definition =
        fmt::format("np:{}/{}:{}", port.protocol, port.name,
                    ingress ? policy.spec->targets_definition : std::string("*"));
    const auto& groups = named_port_groups(definition, ingress ? &policy.targets : nullptr, port);
    for (const auto& [number, ips] : groups) {
      const std::string& set = set_name_for("KUBE-DST-", fmt::format("{}={}", definition, number));
      if (!out_.ipsets.contains(set)) {
        add_set(sets, set, "hash:ip", ips);
      }
      matches.push_back({port.protocol, number, number, set});
    }
  }
  return matches;
}

std::string PolicyChainBuilder::add(const ResolvedPolicy& policy, Direction d) {
  const CompiledPolicy& spec = *policy.spec;
  const std::string& chain =
      cache_.name(fmt::format("chain:{}{}{}", spec.key, direction_name(d), family_name(family_)),
                  [&] { return policy_chain_name(spec.ns(), spec.object->meta.name, d, family_); });
  // What the rules are made of; equal to the last pass's, the rules are too.
  struct Combination {
    const PeerMatch* peer;
    const PortMatch* port;
  };
  std::vector<std::vector<PeerMatch>> peers;
  std::vector<std::vector<PortMatch>> ports;
  std::vector<Combination> combinations;
  std::string signature;
  peers.reserve(policy.rules(d).size());
  ports.reserve(policy.rules(d).size());
  for (const ResolvedRule& resolved : policy.rules(d)) {
    netfilter::DesiredIpsets sets;
    peers.push_back(peer_matches(resolved, d, sets));
    ports.push_back(port_matches(policy, resolved, d, sets));
    if (peers.back().empty() || ports.back().empty()) {
      continue;  // no peer in this family, or named ports found on no pod: allows nothing
    }
    out_.ipsets.merge(sets);
    for (const PeerMatch& peer : peers.back()) {
      for (const PortMatch& port : ports.back()) {
        combinations.push_back({&peer, &port});
        fmt::format_to(std::back_inserter(signature), "{} {} {} {}-{} {};", peer.set, peer.kind,
                       port.protocol, port.first, port.last, port.named_set);
      }
    }
  }
  out_.filter.chains[chain] = cache_.policy_chain(&spec, d, family_, signature, [&] {
    std::vector<std::string> rules;
    for (const Combination& c : combinations) {
      Rule match;
      if (!c.port->protocol.empty()) {
        match.protocol(c.port->protocol);
      }
      match.comment(fmt::format("{} {} {}{}", spec.key, direction_name(d), c.peer->kind,
                                c.port->named_set.empty() ? "" : " np"));
      if (!c.peer->set.empty()) {
        match.match_set(c.peer->set, d == Direction::kIngress ? "src" : "dst");
      }
      if (!c.port->named_set.empty()) {
        match.match_set(c.port->named_set, "dst");
      }
      if (c.port->first > 0) {
        match.dport(c.port->first, c.port->last);
      }
      rules.push_back(match.jump(fmt::format("MARK --set-xmark {}", kMarkAllowed)));
      rules.push_back(match.match(fmt::format("-m mark --mark {}", kMarkAllowed)).jump("RETURN"));
    }
    return rules;
  });
  return chain;
}

}  // namespace kr::netpol
