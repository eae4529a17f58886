#include "controllers/netpol/policy_resolver.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "controllers/netpol/label_selector.h"

namespace kr::netpol {
namespace {

// A rule problem: the path of the offending field and why.
struct Invalid {
  std::string message;
};

std::string_view peers_field(Direction d) { return d == Direction::kIngress ? "from" : "to"; }

std::optional<Invalid> compile_block(const k8s::IpBlock& block, const std::string& at,
                                     CompiledRule& rule) {
  const auto cidr = parse_cidr(block.cidr);
  if (!cidr) {
    return Invalid{fmt::format("{}.ipBlock.cidr: invalid CIDR '{}'", at, block.cidr)};
  }
  std::vector<Cidr> excepts;
  for (size_t i = 0; i < block.except.size(); ++i) {
    const std::string& text = block.except[i];
    const auto except = parse_cidr(text);
    if (!except) {
      return Invalid{fmt::format("{}.ipBlock.except[{}]: invalid CIDR '{}'", at, i, text)};
    }
    if (!cidr->contains(*except) || except->prefix <= cidr->prefix) {
      return Invalid{fmt::format("{}.ipBlock.except[{}]: '{}' is not strictly inside cidr '{}'", at,
                                 i, text, block.cidr)};
    }
    excepts.push_back(*except);
  }
  for (const Cidr& c : subtract(*cidr, excepts)) {
    rule.blocks.push_back(c);
  }
  return std::nullopt;
}

std::optional<Invalid> compile_peer(const k8s::NetworkPolicyPeer& peer, std::string_view policy_ns,
                                    const std::string& at, CompiledRule& rule) {
  const bool has_selector = peer.pod_selector || peer.namespace_selector;
  if (peer.ip_block) {
    if (has_selector) {
      return Invalid{at + ": ipBlock may not be combined with podSelector or namespaceSelector"};
    }
    return compile_block(*peer.ip_block, at, rule);
  }
  if (!has_selector) {
    return Invalid{at + ": a peer needs podSelector, namespaceSelector or ipBlock"};
  }
  for (const auto* selector : {&peer.pod_selector, &peer.namespace_selector}) {
    if (*selector) {
      if (auto error = selector_error(**selector)) {
        return Invalid{fmt::format(
            "{}.{}: {}", at, selector == &peer.pod_selector ? "podSelector" : "namespaceSelector",
            *error)};
      }
    }
  }
  PodPeer p;
  p.namespaces = peer.namespace_selector ? &*peer.namespace_selector : nullptr;
  p.pods = peer.pod_selector ? &*peer.pod_selector : nullptr;
  p.definition = p.namespaces
                     ? fmt::format("ns[{}]pods[{}]", canonical_selector(*p.namespaces),
                                   p.pods ? canonical_selector(*p.pods) : "*")
                     : fmt::format("in[{}]pods[{}]", policy_ns, canonical_selector(*p.pods));
  rule.pod_peers.push_back(std::move(p));
  return std::nullopt;
}

std::optional<Invalid> compile_port(const k8s::NetworkPolicyPort& port, const std::string& at,
                                    CompiledRule& rule) {
  PortSpec spec;
  spec.protocol = port.protocol.empty() ? "TCP" : port.protocol.str();
  if (spec.protocol != "TCP" && spec.protocol != "UDP" && spec.protocol != "SCTP") {
    return Invalid{fmt::format("{}.protocol: unsupported protocol '{}'", at, spec.protocol)};
  }
  if (port.port && port.port->is_name()) {
    if (!is_valid_port_name(port.port->name)) {
      return Invalid{fmt::format("{}.port: '{}' is not a valid port name", at, port.port->name)};
    }
    if (port.end_port) {
      return Invalid{at + ".endPort: may not be used with a named port"};
    }
    spec.name = port.port->name;
  } else if (port.port) {
    if (port.port->number < 1 || port.port->number > 65535) {
      return Invalid{fmt::format("{}.port: {} is not in 1-65535", at, port.port->number)};
    }
    spec.port = port.port->number;
    if (port.end_port) {
      if (*port.end_port < port.port->number || *port.end_port > 65535) {
        return Invalid{fmt::format("{}.endPort: {} must be in {}-65535", at, *port.end_port,
                                   port.port->number)};
      }
      if (*port.end_port != port.port->number) {
        spec.end_port = *port.end_port;
      }
    }
  } else if (port.end_port) {
    return Invalid{at + ".endPort: needs a numeric port"};
  }
  rule.ports.push_back(std::move(spec));
  return std::nullopt;
}

std::optional<Invalid> compile_rules(const std::vector<k8s::NetworkPolicyRule>& rules, Direction d,
                                     std::string_view ns, std::vector<CompiledRule>& out) {
  for (size_t i = 0; i < rules.size(); ++i) {
    const k8s::NetworkPolicyRule& rule = rules[i];
    CompiledRule compiled;
    compiled.any_peer = rule.peers.empty();
    for (size_t j = 0; j < rule.peers.size(); ++j) {
      const std::string at =
          fmt::format("spec.{}[{}].{}[{}]", direction_name(d), i, peers_field(d), j);
      if (auto error = compile_peer(rule.peers[j], ns, at, compiled)) {
        return error;
      }
    }
    std::vector<std::string_view> definitions;
    for (const PodPeer& p : compiled.pod_peers) definitions.push_back(p.definition);
    std::sort(definitions.begin(), definitions.end());
    definitions.erase(std::unique(definitions.begin(), definitions.end()), definitions.end());
    compiled.pods_definition = fmt::format("{}", fmt::join(definitions, ";"));
    for (size_t j = 0; j < rule.ports.size(); ++j) {
      const std::string at = fmt::format("spec.{}[{}].ports[{}]", direction_name(d), i, j);
      if (auto error = compile_port(rule.ports[j], at, compiled)) {
        return error;
      }
    }
    out.push_back(std::move(compiled));
  }
  return std::nullopt;
}

void add_pods(std::vector<const PodEntry*>& out, const std::vector<const PodEntry*>& pods,
              const k8s::LabelSelector* selector) {
  for (const PodEntry* p : pods) {
    if (!selector || selector_matches(*selector, p->pod->meta.labels)) {
      out.push_back(p);
    }
  }
}

const std::vector<const PodEntry*>& select(const PodPeer& peer, std::string_view policy_ns,
                                           const ClusterIndex& cluster) {
  if (const auto* cached = cluster.find_selection(peer.definition)) {
    return *cached;
  }
  std::vector<const PodEntry*> pods;
  if (!peer.namespaces) {
    add_pods(pods, cluster.pods_in(policy_ns), peer.pods);
  } else {
    for (const std::string_view ns : cluster.namespaces()) {
      if (selector_matches(*peer.namespaces, cluster.namespace_labels(ns))) {
        add_pods(pods, cluster.pods_in(ns), peer.pods);
      }
    }
  }
  return cluster.store_selection(peer.definition, std::move(pods));
}

}  // namespace

bool is_valid_port_name(std::string_view text) {
  if (text.empty() || text.size() > 15 || text.front() == '-' || text.back() == '-' ||
      text.find("--") != std::string_view::npos) {
    return false;
  }
  bool letter = false;
  for (const char c : text) {
    const bool lower = c >= 'a' && c <= 'z';
    if (!lower && !(c >= '0' && c <= '9') && c != '-') {
      return false;
    }
    letter = letter || lower;
  }
  return letter;
}

PolicyCompilation compile_policy(std::shared_ptr<const k8s::NetworkPolicy> object) {
  PolicyCompilation out;
  const k8s::NetworkPolicy& policy = *object;
  CompiledPolicy c;
  c.key = policy.meta.key();
  const auto problem = [&](std::string message) {
    out.problems.push_back({"policy", c.key, std::move(message)});
  };
  if (auto error = selector_error(policy.pod_selector)) {
    problem("spec.podSelector: " + *error);
    return out;
  }
  for (const k8s::Interned& type : policy.policy_types) {
    if (type == "Ingress") {
      c.ingress = true;
    } else if (type == "Egress") {
      c.egress = true;
    } else {
      problem(fmt::format("spec.policyTypes: unknown type '{}'", type.view()));
      return out;
    }
  }
  if (policy.policy_types.empty()) {
    // The API server's defaulting (networking/v1 SetDefaults_NetworkPolicy).
    c.ingress = true;
    c.egress = !policy.egress.empty();
  }
  const std::string_view ns = policy.meta.namespace_.view();
  c.targets_definition = fmt::format("{}|{}", ns, canonical_selector(policy.pod_selector));
  std::optional<Invalid> invalid;
  if (c.ingress) {
    invalid = compile_rules(policy.ingress, Direction::kIngress, ns, c.ingress_rules);
  }
  if (!invalid && c.egress) {
    invalid = compile_rules(policy.egress, Direction::kEgress, ns, c.egress_rules);
  }
  if (invalid) {
    problem("rejected, its pods are isolated with no allow rules: " + invalid->message);
    c.rejected = true;
    c.ingress_rules.clear();
    c.egress_rules.clear();
  }
  c.object = std::move(object);
  out.policy = std::move(c);
  return out;
}

ResolvedPolicy resolve(const CompiledPolicy& policy, const ClusterIndex& cluster,
                       bool only_for_local_targets) {
  ResolvedPolicy r;
  r.spec = &policy;
  bool local = false;
  for (const PodEntry* p : cluster.pods_in(policy.ns())) {
    if (selector_matches(policy.object->pod_selector, p->pod->meta.labels)) {
      r.targets.push_back(p);
      local = local || p->local;
    }
  }
  if (only_for_local_targets && !local) {
    return r;
  }
  for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
    auto& out = d == Direction::kIngress ? r.ingress_rules : r.egress_rules;
    for (const CompiledRule& rule : policy.rules(d)) {
      ResolvedRule resolved{&rule, {}};
      for (const PodPeer& peer : rule.pod_peers) {
        const auto& pods = select(peer, policy.ns(), cluster);
        resolved.pods.insert(resolved.pods.end(), pods.begin(), pods.end());
      }
      if (rule.pod_peers.size() > 1) {
        std::sort(resolved.pods.begin(), resolved.pods.end());
        resolved.pods.erase(std::unique(resolved.pods.begin(), resolved.pods.end()),
                            resolved.pods.end());
      }
      out.push_back(std::move(resolved));
    }
  }
  return r;
}

}  // namespace kr::netpol
