#include "controllers/netpol/policy_resolver.h"

#include <fmt/format.h>

#include <algorithm>

#include "controllers/netpol/label_selector.h"

namespace kr::netpol {
namespace {

// A rule problem: the path of the offending field and why.
struct Invalid {
  std::string message;
};

std::string_view peers_field(Direction d) { return d == Direction::kIngress ? "from" : "to"; }

void add_pods(std::vector<const PodEntry*>& out, const std::vector<const PodEntry*>& pods,
              const std::optional<k8s::LabelSelector>& selector) {
  for (const PodEntry* p : pods) {
    if (!selector || selector_matches(*selector, p->pod->meta.labels)) {
      out.push_back(p);
    }
  }
}

std::optional<Invalid> resolve_peer(const k8s::NetworkPolicyPeer& peer, std::string_view policy_ns,
                                    const ClusterIndex& cluster, const std::string& at,
                                    ResolvedRule& rule) {
  const bool has_selector = peer.pod_selector || peer.namespace_selector;
  if (peer.ip_block) {
    if (has_selector) {
      return Invalid{at + ": ipBlock may not be combined with podSelector or namespaceSelector"};
    }
    const auto cidr = parse_cidr(peer.ip_block->cidr);
    if (!cidr) {
      return Invalid{fmt::format("{}.ipBlock.cidr: invalid CIDR '{}'", at, peer.ip_block->cidr)};
    }
    std::vector<Cidr> excepts;
    for (size_t i = 0; i < peer.ip_block->except.size(); ++i) {
      const std::string& text = peer.ip_block->except[i];
      const auto except = parse_cidr(text);
      if (!except) {
        return Invalid{fmt::format("{}.ipBlock.except[{}]: invalid CIDR '{}'", at, i, text)};
      }
      if (!cidr->contains(*except) || except->prefix <= cidr->prefix) {
        return Invalid{fmt::format("{}.ipBlock.except[{}]: '{}' is not strictly inside cidr '{}'",
                                   at, i, text, peer.ip_block->cidr)};
      }
      excepts.push_back(*except);
    }
    for (const Cidr& c : subtract(*cidr, excepts)) {
      rule.blocks.push_back(c);
    }
    return std::nullopt;
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
  if (!peer.namespace_selector) {
    add_pods(rule.pods, cluster.pods_in(policy_ns), peer.pod_selector);
    return std::nullopt;
  }
  for (const std::string_view ns : cluster.namespaces()) {
    if (selector_matches(*peer.namespace_selector, cluster.namespace_labels(ns))) {
      add_pods(rule.pods, cluster.pods_in(ns), peer.pod_selector);
    }
  }
  return std::nullopt;
}

std::optional<Invalid> resolve_port(const k8s::NetworkPolicyPort& port, const std::string& at,
                                    ResolvedRule& rule) {
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

std::optional<Invalid> resolve_rules(const std::vector<k8s::NetworkPolicyRule>& rules, Direction d,
                                     std::string_view ns, const ClusterIndex& cluster,
                                     std::vector<ResolvedRule>& out) {
  for (size_t i = 0; i < rules.size(); ++i) {
    const k8s::NetworkPolicyRule& rule = rules[i];
    ResolvedRule resolved;
    resolved.any_peer = rule.peers.empty();
    for (size_t j = 0; j < rule.peers.size(); ++j) {
      const std::string at =
          fmt::format("spec.{}[{}].{}[{}]", direction_name(d), i, peers_field(d), j);
      if (auto error = resolve_peer(rule.peers[j], ns, cluster, at, resolved)) {
        return error;
      }
    }
    for (size_t j = 0; j < rule.ports.size(); ++j) {
      const std::string at = fmt::format("spec.{}[{}].ports[{}]", direction_name(d), i, j);
      if (auto error = resolve_port(rule.ports[j], at, resolved)) {
        return error;
      }
    }
    std::sort(resolved.pods.begin(), resolved.pods.end());
    resolved.pods.erase(std::unique(resolved.pods.begin(), resolved.pods.end()),
                        resolved.pods.end());
    out.push_back(std::move(resolved));
  }
  return std::nullopt;
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

std::optional<ResolvedPolicy> resolve_policy(const k8s::NetworkPolicy& policy,
                                             const ClusterIndex& cluster,
                                             std::vector<Problem>& problems) {
  ResolvedPolicy r;
  r.policy = &policy;
  r.key = policy.meta.key();
  const auto problem = [&](std::string message) {
    problems.push_back({"policy", r.key, std::move(message)});
  };
  if (auto error = selector_error(policy.pod_selector)) {
    problem("spec.podSelector: " + *error);
    return std::nullopt;
  }
  for (const k8s::Interned& type : policy.policy_types) {
    if (type == "Ingress") {
      r.ingress = true;
    } else if (type == "Egress") {
      r.egress = true;
    } else {
      problem(fmt::format("spec.policyTypes: unknown type '{}'", type.view()));
      return std::nullopt;
    }
  }
  if (policy.policy_types.empty()) {
    // The API server's defaulting (networking/v1 SetDefaults_NetworkPolicy).
    r.ingress = true;
    r.egress = !policy.egress.empty();
  }
  const std::string_view ns = policy.meta.namespace_.view();
  for (const PodEntry* p : cluster.pods_in(ns)) {
    if (selector_matches(policy.pod_selector, p->pod->meta.labels)) {
      r.targets.push_back(p);
    }
  }
  std::optional<Invalid> invalid;
  if (r.ingress) {
    invalid = resolve_rules(policy.ingress, Direction::kIngress, ns, cluster, r.ingress_rules);
  }
  if (!invalid && r.egress) {
    invalid = resolve_rules(policy.egress, Direction::kEgress, ns, cluster, r.egress_rules);
  }
  if (invalid) {
    problem("rejected, its pods are isolated with no allow rules: " + invalid->message);
    r.rejected = true;
    r.ingress_rules.clear();
    r.egress_rules.clear();
  }
  return r;
}

}  // namespace kr::netpol
