// What the desired-state builder is a function of: the cluster objects, facts about this node,
// and the firewall's settings from the flags.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "controllers/netpol/cidr.h"
#include "k8s/objects.h"

namespace kr::options {
struct Config;
}

namespace kr::netpol {

// Immutable objects from the informer caches (k8s::Snapshot::list()).
struct ClusterState {
  std::vector<std::shared_ptr<const k8s::Pod>> pods;
  std::vector<std::shared_ptr<const k8s::Namespace>> namespaces;
  std::vector<std::shared_ptr<const k8s::NetworkPolicy>> policies;
};

struct NodeFacts {
  std::string name;                    // the Node object's name (pods' spec.nodeName)
  std::vector<std::string> addresses;  // InternalIP/ExternalIP: a pod whose hostIP is one is local
  std::vector<std::string> pod_cidrs;  // this node's pod CIDRs (used by --netpol-default-deny)
};

struct FirewallSettings {
  bool ipv4 = true;                          // --enable-ipv4
  bool ipv6 = false;                         // --enable-ipv6
  bool default_deny = false;                 // --netpol-default-deny
  std::vector<Cidr> cluster_ip_ranges;       // --service-cluster-ip-range
  std::vector<Cidr> external_ip_ranges;      // --service-external-ip-range
  std::vector<Cidr> loadbalancer_ip_ranges;  // --loadbalancer-ip-range
  uint16_t node_port_first = 30000;          // --service-node-port-range
  uint16_t node_port_last = 32767;

  bool enabled(Family f) const { return f == Family::kIPv4 ? ipv4 : ipv6; }
};

// An object the firewall could not use as given, e.g. ("policy", "ns/name", "bad CIDR ...").
// The builder reports these instead of logging, so the controller can log each one once.
struct Problem {
  std::string kind;    // "pod", "policy"
  std::string object;  // namespace/name
  std::string message;
  friend bool operator==(const Problem&, const Problem&) = default;
  friend auto operator<=>(const Problem&, const Problem&) = default;
};

// The settings from validated flags; an error names the flag when a value does not parse.
struct SettingsResult {
  FirewallSettings settings;
  std::optional<std::string> error;
};
SettingsResult settings_from_config(const options::Config& config);

}  // namespace kr::netpol
