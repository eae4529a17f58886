// Small constructors for the Kubernetes objects the firewall reads, so tests state only what
// matters to them.
#pragma once

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "controllers/netpol/firewall_inputs.h"
#include "k8s/objects.h"

namespace kr::netpol::testing {

using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

k8s::StringMap labels(Labels l);

struct PodSpec {
  std::string ns;
  std::string name;
  std::vector<std::string> ips;
  Labels labels = {};
  std::string node = "node-1";
  std::vector<k8s::ContainerPort> ports = {};
  std::string phase = "Running";
  bool host_network = false;
};
std::shared_ptr<const k8s::Pod> make_pod(const PodSpec& spec);

std::shared_ptr<const k8s::Namespace> make_namespace(std::string name, Labels l = {});

k8s::ContainerPort container_port(std::string name, int number, std::string protocol = "TCP");

k8s::LabelSelector match_labels(Labels l);
k8s::LabelSelector match_expression(std::string key, std::string op,
                                    std::vector<std::string> values = {});

// Peers.
k8s::NetworkPolicyPeer pods_peer(k8s::LabelSelector pods);
k8s::NetworkPolicyPeer namespaces_peer(k8s::LabelSelector namespaces,
                                       std::optional<k8s::LabelSelector> pods = std::nullopt);
k8s::NetworkPolicyPeer block_peer(std::string cidr, std::vector<std::string> except = {});

// Ports.
k8s::NetworkPolicyPort port(int number, std::string protocol = "TCP",
                            std::optional<int> end_port = std::nullopt);
k8s::NetworkPolicyPort named(std::string name, std::string protocol = "TCP");
k8s::NetworkPolicyPort protocol_only(std::string protocol);

k8s::NetworkPolicyRule rule(std::vector<k8s::NetworkPolicyPeer> peers,
                            std::vector<k8s::NetworkPolicyPort> ports = {});

struct PolicySpec {
  std::string ns;
  std::string name;
  k8s::LabelSelector pod_selector = {};
  std::vector<std::string> types = {"Ingress"};
  std::vector<k8s::NetworkPolicyRule> ingress = {};
  std::vector<k8s::NetworkPolicyRule> egress = {};
};
std::shared_ptr<const k8s::NetworkPolicy> make_policy(const PolicySpec& spec);

// Node "node-1" at 192.168.1.10 / fd00:1::10.
NodeFacts test_node();

}  // namespace kr::netpol::testing
