#include "controllers/netpol/policy_resolver.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "controllers/netpol/build_cache.h"
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
  if (p.namespaces) p.namespaces_definition = canonical_selector(*p.namespaces);
  p.definition = p.namespaces
                     ? fmt::format("ns[{}]pods[{}]", p.namespaces_definition,
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

std::string_view peer_prefix(Direction d) {
  return d == Direction::kIngress ? "KUBE-SRC-" : "KUBE-DST-";
}

// The names of the rule's sets and its ipBlock members, per family (policy_chains.h: sets are
// named after what defines their members).
void name_sets(CompiledRule& rule, Direction d, const std::string& targets_definition) {
  for (const Family f : netfilter::kFamilies) {
    const int i = static_cast<int>(f);
    if (!rule.pod_peers.empty()) {
      rule.pods_set[i] = set_name(peer_prefix(d), f, "pods:" + rule.pods_definition);
    }
    std::vector<std::string> blocks;
    for (const Cidr& c : rule.blocks) {
      if (c.family == f) blocks.push_back(c.member_text());
    }
    if (!blocks.empty()) {
      std::sort(blocks.begin(), blocks.end());
      rule.blocks_set[i] =
          set_name(peer_prefix(d), f, fmt::format("cidr:{}", fmt::join(blocks, ",")));
      blocks.erase(std::unique(blocks.begin(), blocks.end()), blocks.end());
      rule.block_members[i] = std::move(blocks);
    }
  }
  for (PortSpec& port : rule.ports) {
    if (!port.name.empty()) {
      port.named_definition =
          fmt::format("np:{}/{}:{}", port.protocol, port.name,
                      d == Direction::kIngress ? targets_definition : std::string("*"));
    }
  }
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

// The pods one podSelector/namespaceSelector peer selects. Many policies name the same peers:
// the memo is shared by definition.
const Selection& select(const PodPeer& peer, std::string_view policy_ns,
                        const ClusterIndex& cluster) {
  std::string inputs;
  if (!peer.namespaces) {
    append_version(inputs, cluster.pods_version(policy_ns));
    return cluster.cache().selection(peer.definition, inputs, [&] {
      std::vector<const PodEntry*> pods;
      add_pods(pods, cluster.pods_in(policy_ns), peer.pods);
      return pods;
    });
  }
  // Which namespaces match changes only with the namespaces' labels; what they hold, with
  // their pods.
  const std::vector<std::string>& namespaces = cluster.cache().matching_namespaces(
      peer.namespaces_definition, cluster.namespaces_version(), [&] {
        std::vector<std::string> matched;
        for (const std::string_view ns : cluster.namespaces()) {
          if (selector_matches(*peer.namespaces, cluster.namespace_labels(ns))) {
            matched.emplace_back(ns);
          }
        }
        return matched;
      });
  append_version(inputs, cluster.namespaces_version());
  for (const std::string& ns : namespaces) {
    append_version(inputs, cluster.pods_version(ns));
  }
  return cluster.cache().selection(peer.definition, inputs, [&] {
    std::vector<const PodEntry*> pods;
    for (const std::string& ns : namespaces) {
      add_pods(pods, cluster.pods_in(ns), peer.pods);
    }
    return pods;
  });
}

// The union of a rule's pod peers, sorted by namespace and name like each selection.
const Selection* select_rule_pods(const CompiledRule& rule, std::string_view policy_ns,
                                  const ClusterIndex& cluster) {
  if (rule.pod_peers.empty()) {
    return nullptr;
  }
  if (rule.pod_peers.size() == 1) {
    return &select(rule.pod_peers.front(), policy_ns, cluster);
  }
  std::vector<const Selection*> parts;
  std::string inputs;
  for (const PodPeer& peer : rule.pod_peers) {
    parts.push_back(&select(peer, policy_ns, cluster));
    append_version(inputs, parts.back()->version);
  }
  return &cluster.cache().selection("union:" + rule.pods_definition, inputs, [&] {
    std::vector<const PodEntry*> pods;
    for (const Selection* part : parts) {
      pods.insert(pods.end(), part->pods.begin(), part->pods.end());
    }
    const auto order = [](const PodEntry* a, const PodEntry* b) {
      return a->ns != b->ns ? a->ns < b->ns : a->name < b->name;
    };
    std::sort(pods.begin(), pods.end(), order);
    pods.erase(std::unique(pods.begin(), pods.end()), pods.end());
    return pods;
  });
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
  for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
    for (const Family f : netfilter::kFamilies) {
      c.chain_names[static_cast<int>(d)][static_cast<int>(f)] =
          policy_chain_name(ns, policy.meta.name, d, f);
    }
    for (CompiledRule& rule : d == Direction::kIngress ? c.ingress_rules : c.egress_rules) {
      name_sets(rule, d, c.targets_definition);
    }
  }
  c.object = std::move(object);
  out.policy = std::move(c);
  return out;
}

ResolvedPolicy resolve(const CompiledPolicy& policy, const ClusterIndex& cluster,
                       bool only_for_local_targets) {
  ResolvedPolicy r;
  r.spec = &policy;
  std::string inputs;
  append_version(inputs, cluster.pods_version(policy.ns()));
  r.targets = &cluster.cache().selection("targets:" + policy.targets_definition, inputs, [&] {
    std::vector<const PodEntry*> pods;
    add_pods(pods, cluster.pods_in(policy.ns()), &policy.object->pod_selector);
    return pods;
  });
  r.has_local_targets = std::any_of(r.targets->pods.begin(), r.targets->pods.end(),
                                    [](const PodEntry* p) { return p->local; });
  if (only_for_local_targets && !r.has_local_targets) {
    return r;
  }
  for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
    auto& out = d == Direction::kIngress ? r.ingress_rules : r.egress_rules;
    for (const CompiledRule& rule : policy.rules(d)) {
      out.push_back({&rule, select_rule_pods(rule, policy.ns(), cluster)});
    }
  }
  return r;
}

}  // namespace kr::netpol
