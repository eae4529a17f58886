// Typed, compact views of the Kubernetes objects kube-router reads.
//
// Each struct keeps only the fields some controller reads (see the specs: netpol.md §2/§4,
// proxy.md §1, routing.md §1-§6, lballoc.md, annotations.md); everything else in the API object
// is dropped at decode time. Field names follow the API's JSON names; the comment on a field
// cites its API path when that differs from the struct path. Values are stored as the API sends
// them (addresses and CIDRs as text): the controllers validate them where they use them.
// Short repeated strings are Interned; enumerations stay strings so that a value added by a
// newer API server does not make the whole object unreadable.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "k8s/intern.h"
#include "k8s/string_map.h"

namespace kr::k8s {

// metav1.Time / metav1.MicroTime, kept at microsecond precision.
using Time = std::chrono::time_point<std::chrono::system_clock, std::chrono::microseconds>;

// Annotation prefixes and keys kept on decode (annotations.md §1, §2); others are dropped.
inline constexpr std::string_view kKubeRouterAnnotationPrefix = "kube-router.io/";
inline constexpr std::string_view kLeaderAnnotation = "control-plane.alpha.kubernetes.io/leader";
// Label that ties an EndpointSlice to its Service (discovery.k8s.io/v1).
inline constexpr std::string_view kServiceNameLabel = "kubernetes.io/service-name";

struct ObjectMeta {
  Interned namespace_;  // metadata.namespace; empty for cluster-scoped kinds
  std::string name;
  std::string resource_version;
  // Hash of metadata.uid: only compared to tell a deleted-and-recreated object from an update.
  uint64_t uid_hash = 0;
  StringMap labels;
  StringMap annotations;  // only keys matching the filter above
  std::optional<Time> deletion_timestamp;

  // "<namespace>/<name>", or "<name>" for cluster-scoped objects (client-go's cache key).
  std::string key() const;
};

// intstr.IntOrString (Service targetPort, NetworkPolicy port).
struct IntOrString {
  int32_t number = 0;
  std::string name;  // non-empty when the API sent a string
  bool is_name() const { return !name.empty(); }
  friend bool operator==(const IntOrString&, const IntOrString&) = default;
};

struct ContainerPort {
  Interned name;
  int32_t container_port = 0;
  Interned protocol;  // "TCP" when the API defaulted it
};

struct Pod {
  ObjectMeta meta;
  Interned node_name;  // spec.nodeName
  bool host_network = false;
  // spec.containers[*].ports[*], flattened: named ports resolve across all containers.
  std::vector<ContainerPort> container_ports;
  std::optional<int64_t> termination_grace_period_seconds;
  Interned phase;                    // status.phase
  Interned host_ip;                  // status.hostIP
  std::vector<std::string> pod_ips;  // status.podIPs[*].ip, or status.podIP alone
  std::string first_container_id;    // status.containerStatuses[0].containerID (DSR)

  std::string_view pod_ip() const { return pod_ips.empty() ? std::string_view() : pod_ips[0]; }
};

struct NodeAddress {
  Interned type;  // InternalIP, ExternalIP, Hostname, ...
  std::string address;
};

struct Node {
  ObjectMeta meta;
  std::vector<NodeAddress> addresses;  // status.addresses, order preserved
  std::string pod_cidr;                // spec.podCIDR
  std::vector<std::string> pod_cidrs;  // spec.podCIDRs
  std::string provider_id;             // spec.providerID
};

struct Namespace {
  ObjectMeta meta;
};

struct ServicePort {
  Interned name;
  Interned protocol;
  int32_t port = 0;
  IntOrString target_port;
  int32_t node_port = 0;  // 0 = none
};

struct LoadBalancerIngress {
  std::string ip;
  std::string hostname;
  Interned ip_mode;  // "VIP", "Proxy" or unset
};

struct Service {
  ObjectMeta meta;
  Interned type;  // spec.type; API default ClusterIP
  std::string cluster_ip;
  std::vector<std::string> cluster_ips;
  std::vector<std::string> external_ips;
  std::string load_balancer_ip;  // spec.loadBalancerIP (deprecated field, still read)
  std::vector<ServicePort> ports;
  StringMap selector;
  Interned session_affinity;  // None or ClientIP
  // spec.sessionAffinityConfig.clientIP.timeoutSeconds
  std::optional<int32_t> session_affinity_timeout_seconds;
  Interned external_traffic_policy;
  Interned internal_traffic_policy;
  int32_t health_check_node_port = 0;
  std::vector<Interned> ip_families;
  Interned ip_family_policy;
  std::optional<std::string> load_balancer_class;
  std::vector<LoadBalancerIngress> load_balancer_ingress;  // status.loadBalancer.ingress
};

struct OwnerReference {
  Interned kind;
  std::string name;
};

struct ObjectReference {
  Interned kind;
  Interned namespace_;
  std::string name;
};

struct Endpoint {
  std::vector<std::string> addresses;
  // conditions.*: unset means "unknown"; the API says to read unset ready/serving as true and
  // unset terminating as false.
  std::optional<bool> ready;
  std::optional<bool> serving;
  std::optional<bool> terminating;
  Interned node_name;
  std::string hostname;
  Interned zone;
  std::optional<ObjectReference> target_ref;
};

struct EndpointPort {
  Interned name;
  Interned protocol;
  std::optional<int32_t> port;  // unset = all ports
  Interned app_protocol;
};

struct EndpointSlice {
  ObjectMeta meta;
  std::string generate_name;  // metadata.generateName
  std::vector<OwnerReference> owner_references;
  Interned address_type;  // IPv4, IPv6, FQDN
  std::vector<Endpoint> endpoints;
  std::vector<EndpointPort> ports;

  // The kubernetes.io/service-name label, or empty.
  std::string_view service_name() const { return meta.labels.get(kServiceNameLabel).value_or(""); }
};

struct LabelSelectorRequirement {
  Interned key;
  Interned op;  // In, NotIn, Exists, DoesNotExist
  std::vector<Interned> values;
};

struct LabelSelector {
  StringMap match_labels;
  std::vector<LabelSelectorRequirement> match_expressions;
};

struct IpBlock {
  std::string cidr;
  std::vector<std::string> except;
};

struct NetworkPolicyPeer {
  std::optional<LabelSelector> pod_selector;  // unset differs from empty (netpol.md §4)
  std::optional<LabelSelector> namespace_selector;
  std::optional<IpBlock> ip_block;
};

struct NetworkPolicyPort {
  Interned protocol;
  std::optional<IntOrString> port;  // unset = every port of the protocol
  std::optional<int32_t> end_port;
};

// One ingress or egress rule; peers are "from" for ingress and "to" for egress.
struct NetworkPolicyRule {
  std::vector<NetworkPolicyPort> ports;
  std::vector<NetworkPolicyPeer> peers;
};

struct NetworkPolicy {
  ObjectMeta meta;
  LabelSelector pod_selector;
  std::vector<Interned> policy_types;
  std::vector<NetworkPolicyRule> ingress;
  std::vector<NetworkPolicyRule> egress;
};

struct Lease {
  ObjectMeta meta;
  std::optional<std::string> holder_identity;
  std::optional<int32_t> lease_duration_seconds;
  std::optional<Time> acquire_time;
  std::optional<Time> renew_time;
  std::optional<int32_t> lease_transitions;
};

}  // namespace kr::k8s
