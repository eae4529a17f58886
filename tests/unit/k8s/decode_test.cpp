#include "k8s/decode.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "k8s/time.h"

namespace kr::k8s {
namespace {

using ::testing::ElementsAre;

boost::json::object json_object(std::string_view text) {
  return boost::json::parse(text).as_object();
}

template <class T>
std::string decode_error(std::string_view text) {
  try {
    decode<T>(json_object(text));
  } catch (const DecodeError& e) {
    return e.what();
  }
  return "no error";
}

constexpr std::string_view kPod = R"({
  "apiVersion": "v1", "kind": "Pod",
  "metadata": {
    "name": "web-5d4f8c7b9-abcde", "namespace": "shop", "uid": "1b2c-...",
    "resourceVersion": "4711", "generateName": "web-5d4f8c7b9-",
    "labels": {"app": "web", "pod-template-hash": "5d4f8c7b9"},
    "annotations": {"kubectl.kubernetes.io/restartedAt": "x", "kube-router.io/x": "y"},
    "deletionTimestamp": "2024-05-01T10:00:00Z",
    "ownerReferences": [{"kind": "ReplicaSet", "name": "web-5d4f8c7b9", "uid": "u"}],
    "managedFields": [{"manager": "kubelet", "fieldsV1": {"f:status": {}}}]
  },
  "spec": {
    "nodeName": "node-1", "hostNetwork": false, "terminationGracePeriodSeconds": 45,
    "containers": [
      {"name": "app", "image": "nginx", "ports": [
        {"name": "http", "containerPort": 8080, "protocol": "TCP"},
        {"containerPort": 9090, "protocol": "UDP"}]},
      {"name": "sidecar", "ports": [{"name": "metrics", "containerPort": 9100, "protocol": "TCP"}]}
    ]
  },
  "status": {
    "phase": "Running", "hostIP": "192.168.1.10", "podIP": "10.244.1.5",
    "podIPs": [{"ip": "10.244.1.5"}, {"ip": "fd00:244::5"}],
    "containerStatuses": [{"name": "app", "containerID": "containerd://abc"},
                          {"name": "sidecar", "containerID": "containerd://def"}]
  }
})";

TEST(DecodePod, KeepsEveryFieldKubeRouterReads) {
  const Pod pod = decode<Pod>(json_object(kPod));
  EXPECT_EQ(pod.meta.namespace_, "shop");
  EXPECT_EQ(pod.meta.name, "web-5d4f8c7b9-abcde");
  EXPECT_EQ(pod.meta.key(), "shop/web-5d4f8c7b9-abcde");
  EXPECT_EQ(pod.meta.resource_version, "4711");
  EXPECT_NE(pod.meta.uid_hash, 0u);
  EXPECT_EQ(pod.meta.labels.get("app"), "web");
  EXPECT_EQ(pod.meta.labels.get("pod-template-hash"), "5d4f8c7b9");
  EXPECT_EQ(pod.meta.labels.size(), 2u);
  // Only kube-router's annotations are kept.
  EXPECT_EQ(pod.meta.annotations.size(), 1u);
  EXPECT_EQ(pod.meta.annotations.get("kube-router.io/x"), "y");
  ASSERT_TRUE(pod.meta.deletion_timestamp);
  EXPECT_EQ(format_micro_time(*pod.meta.deletion_timestamp), "2024-05-01T10:00:00.000000Z");
  EXPECT_EQ(pod.node_name, "node-1");
  EXPECT_FALSE(pod.host_network);
  EXPECT_EQ(pod.termination_grace_period_seconds, 45);
  ASSERT_EQ(pod.container_ports.size(), 3u);
  EXPECT_EQ(pod.container_ports[0].name, "http");
  EXPECT_EQ(pod.container_ports[0].container_port, 8080);
  EXPECT_EQ(pod.container_ports[0].protocol, "TCP");
  EXPECT_TRUE(pod.container_ports[1].name.empty());
  EXPECT_EQ(pod.container_ports[1].protocol, "UDP");
  EXPECT_EQ(pod.container_ports[2].name, "metrics");
  EXPECT_EQ(pod.phase, "Running");
  EXPECT_EQ(pod.host_ip, "192.168.1.10");
  EXPECT_THAT(pod.pod_ips, ElementsAre("10.244.1.5", "fd00:244::5"));
  EXPECT_EQ(pod.pod_ip(), "10.244.1.5");
  EXPECT_EQ(pod.first_container_id, "containerd://abc");
}

TEST(DecodePod, MinimalPodGetsZeroValues) {
  const Pod pod = decode<Pod>(json_object(R"({"metadata": {"name": "p", "namespace": "d",
      "labels": null}, "status": {"podIP": "10.0.0.1"}})"));
  EXPECT_TRUE(pod.node_name.empty());
  EXPECT_FALSE(pod.termination_grace_period_seconds);
  EXPECT_TRUE(pod.meta.labels.empty());
  EXPECT_FALSE(pod.meta.deletion_timestamp);
  EXPECT_THAT(pod.pod_ips, ElementsAre("10.0.0.1"));  // pre-dual-stack servers
}

TEST(DecodePod, WrongTypesNameTheObjectAndTheField) {
  EXPECT_EQ(decode_error<Pod>(
                R"({"metadata": {"name": "web", "namespace": "shop"}, "spec": {"nodeName": 7}})"),
            "Pod shop/web: spec.nodeName: expected string, got number");
  EXPECT_EQ(
      decode_error<Pod>(R"({"metadata": {"name": "web", "namespace": "shop"},
        "spec": {"containers": [{"ports": [{"containerPort": 80}]}, {"ports": [{"containerPort": 70000}]}]}})"),
      "Pod shop/web: spec.containers[1].ports[0].containerPort: 70000 is out of range [0, 65535]");
  EXPECT_EQ(decode_error<Pod>(R"({"metadata": {"name": "web", "namespace": "shop",
        "labels": {"a": 1}}})"),
            "Pod shop/web: metadata.labels.a: expected string, got number");
  EXPECT_EQ(decode_error<Pod>(R"({"metadata": {"namespace": "shop"}})"),
            "Pod (unnamed): metadata.name: missing");
  EXPECT_EQ(decode_error<Pod>(R"({"spec": {}})"), "Pod (unnamed): metadata: missing");
  EXPECT_EQ(decode_error<Pod>(R"({"metadata": {"name": "w", "namespace": "s"},
        "spec": {"hostNetwork": "yes"}})"),
            "Pod s/w: spec.hostNetwork: expected bool, got string");
  EXPECT_EQ(decode_error<Pod>(R"({"metadata": {"name": "w", "namespace": "s"},
        "status": {"podIPs": ["10.0.0.1"]}})"),
            "Pod s/w: status.podIPs[0]: expected object, got string");
  EXPECT_EQ(decode_error<Pod>(R"({"metadata": {"name": "w", "namespace": "s",
        "deletionTimestamp": "yesterday"}})"),
            "Pod s/w: metadata.deletionTimestamp: \"yesterday\" is not an RFC 3339 time");
  EXPECT_EQ(decode_error<Pod>(R"({"metadata": {"name": "w", "namespace": "s"},
        "spec": {"terminationGracePeriodSeconds": 1.5}})"),
            "Pod s/w: spec.terminationGracePeriodSeconds: expected integer, got number");
}

TEST(DecodeNode, AddressesCidrsAnnotations) {
  const Node node = decode<Node>(json_object(R"({
    "metadata": {"name": "node-1", "labels": {"kubernetes.io/hostname": "node-1"},
      "annotations": {"kube-router.io/node.asn": "64512", "node.alpha.kubernetes.io/ttl": "0"}},
    "spec": {"podCIDR": "10.244.1.0/24", "podCIDRs": ["10.244.1.0/24", "fd00:244:1::/64"],
             "providerID": "aws:///us-east-1a/i-0abc"},
    "status": {"addresses": [{"type": "InternalIP", "address": "192.168.1.10"},
                             {"type": "Hostname", "address": "node-1"},
                             {"type": "ExternalIP", "address": "203.0.113.7"}]}})"));
  EXPECT_TRUE(node.meta.namespace_.empty());
  EXPECT_EQ(node.meta.key(), "node-1");
  EXPECT_EQ(node.meta.annotations.get("kube-router.io/node.asn"), "64512");
  EXPECT_FALSE(node.meta.annotations.contains("node.alpha.kubernetes.io/ttl"));
  EXPECT_EQ(node.pod_cidr, "10.244.1.0/24");
  EXPECT_THAT(node.pod_cidrs, ElementsAre("10.244.1.0/24", "fd00:244:1::/64"));
  EXPECT_EQ(node.provider_id, "aws:///us-east-1a/i-0abc");
  ASSERT_EQ(node.addresses.size(), 3u);
  EXPECT_EQ(node.addresses[0].type, "InternalIP");
  EXPECT_EQ(node.addresses[0].address, "192.168.1.10");
  EXPECT_EQ(node.addresses[2].type, "ExternalIP");
  EXPECT_EQ(
      decode_error<Node>(R"({"metadata": {"name": "n"}, "spec": {"podCIDRs": "10.0.0.0/8"}})"),
      "Node n: spec.podCIDRs: expected array, got string");
}

TEST(DecodeNamespace, Labels) {
  const Namespace ns =
      decode<Namespace>(json_object(R"({"metadata": {"name": "shop", "labels": {"team": "a"}}})"));
  EXPECT_EQ(ns.meta.name, "shop");
  EXPECT_EQ(ns.meta.labels.get("team"), "a");
}

constexpr std::string_view kService = R"({
  "metadata": {"name": "web", "namespace": "shop", "resourceVersion": "9",
    "labels": {"service.kubernetes.io/headless": ""},
    "annotations": {"kube-router.io/service.scheduler": "mh",
                    "kube-router.io/service.schedflags": "flag-1,flag-2",
                    "kube-router.io/service.dsr": "tunnel",
                    "kube-router.io/service.hairpin": "",
                    "kubectl.kubernetes.io/last-applied-configuration": "{...}"}},
  "spec": {
    "type": "LoadBalancer", "clusterIP": "10.96.0.50", "clusterIPs": ["10.96.0.50", "fd00:96::50"],
    "externalIPs": ["198.51.100.1"], "loadBalancerIP": "203.0.113.9",
    "selector": {"app": "web"},
    "ports": [
      {"name": "http", "protocol": "TCP", "port": 80, "targetPort": "web", "nodePort": 30080},
      {"name": "dns", "protocol": "UDP", "port": 53, "targetPort": 5353}],
    "sessionAffinity": "ClientIP", "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 600}},
    "externalTrafficPolicy": "Local", "internalTrafficPolicy": "Cluster",
    "healthCheckNodePort": 32000, "ipFamilies": ["IPv4", "IPv6"],
    "ipFamilyPolicy": "PreferDualStack", "loadBalancerClass": "kube-router"
  },
  "status": {"loadBalancer": {"ingress": [
    {"ip": "203.0.113.9", "ipMode": "VIP"}, {"hostname": "lb.example"}]}}
})";

TEST(DecodeService, KeepsEveryFieldKubeRouterReads) {
  const Service svc = decode<Service>(json_object(kService));
  EXPECT_EQ(svc.type, "LoadBalancer");
  EXPECT_EQ(svc.cluster_ip, "10.96.0.50");
  EXPECT_THAT(svc.cluster_ips, ElementsAre("10.96.0.50", "fd00:96::50"));
  EXPECT_THAT(svc.external_ips, ElementsAre("198.51.100.1"));
  EXPECT_EQ(svc.load_balancer_ip, "203.0.113.9");
  EXPECT_EQ(svc.selector.get("app"), "web");
  ASSERT_EQ(svc.ports.size(), 2u);
  EXPECT_EQ(svc.ports[0].name, "http");
  EXPECT_EQ(svc.ports[0].protocol, "TCP");
  EXPECT_EQ(svc.ports[0].port, 80);
  EXPECT_TRUE(svc.ports[0].target_port.is_name());
  EXPECT_EQ(svc.ports[0].target_port.name, "web");
  EXPECT_EQ(svc.ports[0].node_port, 30080);
  EXPECT_FALSE(svc.ports[1].target_port.is_name());
  EXPECT_EQ(svc.ports[1].target_port.number, 5353);
  EXPECT_EQ(svc.ports[1].node_port, 0);
  EXPECT_EQ(svc.session_affinity, "ClientIP");
  EXPECT_EQ(svc.session_affinity_timeout_seconds, 600);
  EXPECT_EQ(svc.external_traffic_policy, "Local");
  EXPECT_EQ(svc.internal_traffic_policy, "Cluster");
  EXPECT_EQ(svc.health_check_node_port, 32000);
  ASSERT_EQ(svc.ip_families.size(), 2u);
  EXPECT_EQ(svc.ip_families[1], "IPv6");
  EXPECT_EQ(svc.ip_family_policy, "PreferDualStack");
  EXPECT_EQ(svc.load_balancer_class, "kube-router");
  ASSERT_EQ(svc.load_balancer_ingress.size(), 2u);
  EXPECT_EQ(svc.load_balancer_ingress[0].ip, "203.0.113.9");
  EXPECT_EQ(svc.load_balancer_ingress[0].ip_mode, "VIP");
  EXPECT_EQ(svc.load_balancer_ingress[1].hostname, "lb.example");
  EXPECT_TRUE(svc.meta.labels.contains("service.kubernetes.io/headless"));
  EXPECT_EQ(svc.meta.annotations.size(), 4u);
  EXPECT_EQ(svc.meta.annotations.get("kube-router.io/service.hairpin"), "");
  EXPECT_EQ(svc.meta.annotations.get("kube-router.io/service.dsr"), "tunnel");
}

TEST(DecodeService, UnsetOptionalsAndErrors) {
  const Service svc = decode<Service>(json_object(R"({"metadata": {"name": "a", "namespace": "b"},
        "spec": {"loadBalancerClass": null, "ports": [{"port": 80}]}})"));
  EXPECT_FALSE(svc.load_balancer_class);
  EXPECT_FALSE(svc.session_affinity_timeout_seconds);
  EXPECT_EQ(svc.ports[0].target_port, IntOrString{});
  EXPECT_EQ(decode_error<Service>(R"({"metadata": {"name": "a", "namespace": "b"},
        "spec": {"ports": [{"port": 80, "targetPort": true}]}})"),
            "Service b/a: spec.ports[0].targetPort: expected integer or string, got bool");
  EXPECT_EQ(decode_error<Service>(R"({"metadata": {"name": "a", "namespace": "b"},
        "spec": {"ports": [{"port": -1}]}})"),
            "Service b/a: spec.ports[0].port: -1 is out of range [0, 65535]");
  EXPECT_EQ(decode_error<Service>(R"({"metadata": {"name": "a", "namespace": "b"},
        "status": {"loadBalancer": {"ingress": [{"ip": 1}]}}})"),
            "Service b/a: status.loadBalancer.ingress[0].ip: expected string, got number");
}

TEST(DecodeEndpointSlice, EndpointsConditionsPortsAndOwnership) {
  const EndpointSlice slice = decode<EndpointSlice>(json_object(R"({
    "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
    "metadata": {"name": "web-abc12", "namespace": "shop", "generateName": "web-",
      "labels": {"kubernetes.io/service-name": "web", "endpointslice.kubernetes.io/managed-by": "x"},
      "annotations": {"control-plane.alpha.kubernetes.io/leader": "{}"},
      "ownerReferences": [{"apiVersion": "v1", "kind": "Service", "name": "web", "uid": "u"}]},
    "addressType": "IPv4",
    "endpoints": [
      {"addresses": ["10.244.1.5"], "conditions": {"ready": true, "serving": true, "terminating": false},
       "nodeName": "node-1", "hostname": "web-0", "zone": "z1",
       "targetRef": {"kind": "Pod", "namespace": "shop", "name": "web-0", "uid": "p"}},
      {"addresses": ["10.244.2.7"], "conditions": {"ready": false, "serving": true, "terminating": true}},
      {"addresses": ["10.244.3.1"]}],
    "ports": [{"name": "http", "protocol": "TCP", "port": 8080, "appProtocol": "http"}, {"name": ""}]
  })"));
  EXPECT_EQ(slice.service_name(), "web");
  EXPECT_EQ(slice.generate_name, "web-");
  ASSERT_EQ(slice.owner_references.size(), 1u);
  EXPECT_EQ(slice.owner_references[0].kind, "Service");
  EXPECT_EQ(slice.owner_references[0].name, "web");
  EXPECT_TRUE(slice.meta.annotations.contains("control-plane.alpha.kubernetes.io/leader"));
  EXPECT_EQ(slice.address_type, "IPv4");
  ASSERT_EQ(slice.endpoints.size(), 3u);
  const Endpoint& e0 = slice.endpoints[0];
  EXPECT_THAT(e0.addresses, ElementsAre("10.244.1.5"));
  EXPECT_EQ(e0.ready, true);
  EXPECT_EQ(e0.serving, true);
  EXPECT_EQ(e0.terminating, false);
  EXPECT_EQ(e0.node_name, "node-1");
  EXPECT_EQ(e0.hostname, "web-0");
  EXPECT_EQ(e0.zone, "z1");
  ASSERT_TRUE(e0.target_ref);
  EXPECT_EQ(e0.target_ref->kind, "Pod");
  EXPECT_EQ(e0.target_ref->namespace_, "shop");
  EXPECT_EQ(e0.target_ref->name, "web-0");
  EXPECT_EQ(slice.endpoints[1].ready, false);
  EXPECT_EQ(slice.endpoints[1].terminating, true);
  EXPECT_FALSE(slice.endpoints[2].ready);  // unset stays unset
  EXPECT_FALSE(slice.endpoints[2].target_ref);
  ASSERT_EQ(slice.ports.size(), 2u);
  EXPECT_EQ(slice.ports[0].port, 8080);
  EXPECT_EQ(slice.ports[0].app_protocol, "http");
  EXPECT_FALSE(slice.ports[1].port);
  EXPECT_EQ(decode_error<EndpointSlice>(R"({"metadata": {"name": "s", "namespace": "n"},
        "endpoints": [{"addresses": ["10.0.0.1"], "conditions": {"ready": "true"}}]})"),
            "EndpointSlice n/s: endpoints[0].conditions.ready: expected bool, got string");
}

TEST(DecodeNetworkPolicy, FullSpec) {
  const NetworkPolicy np = decode<NetworkPolicy>(json_object(R"({
    "metadata": {"name": "allow", "namespace": "shop"},
    "spec": {
      "podSelector": {"matchLabels": {"app": "web"},
                      "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a", "b"]}]},
      "policyTypes": ["Ingress", "Egress"],
      "ingress": [
        {"from": [{"podSelector": {}},
                  {"namespaceSelector": {"matchLabels": {"team": "x"}}, "podSelector": {"matchLabels": {"r": "db"}}},
                  {"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}}],
         "ports": [{"protocol": "TCP", "port": 80}, {"protocol": "TCP", "port": "http"},
                   {"protocol": "UDP", "port": 1000, "endPort": 2000}, {"protocol": "SCTP"}]},
        {}],
      "egress": [{"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]}]
    }})"));
  EXPECT_EQ(np.pod_selector.match_labels.get("app"), "web");
  ASSERT_EQ(np.pod_selector.match_expressions.size(), 1u);
  EXPECT_EQ(np.pod_selector.match_expressions[0].key, "tier");
  EXPECT_EQ(np.pod_selector.match_expressions[0].op, "In");
  ASSERT_EQ(np.pod_selector.match_expressions[0].values.size(), 2u);
  ASSERT_EQ(np.policy_types.size(), 2u);
  EXPECT_EQ(np.policy_types[1], "Egress");
  ASSERT_EQ(np.ingress.size(), 2u);
  const NetworkPolicyRule& r0 = np.ingress[0];
  ASSERT_EQ(r0.peers.size(), 3u);
  // An empty podSelector is present (all pods); an absent one is not.
  ASSERT_TRUE(r0.peers[0].pod_selector);
  EXPECT_TRUE(r0.peers[0].pod_selector->match_labels.empty());
  EXPECT_FALSE(r0.peers[0].namespace_selector);
  ASSERT_TRUE(r0.peers[1].namespace_selector);
  EXPECT_EQ(r0.peers[1].namespace_selector->match_labels.get("team"), "x");
  EXPECT_EQ(r0.peers[1].pod_selector->match_labels.get("r"), "db");
  ASSERT_TRUE(r0.peers[2].ip_block);
  EXPECT_EQ(r0.peers[2].ip_block->cidr, "10.0.0.0/8");
  EXPECT_THAT(r0.peers[2].ip_block->except, ElementsAre("10.1.0.0/16"));
  EXPECT_FALSE(r0.peers[2].pod_selector);
  ASSERT_EQ(r0.ports.size(), 4u);
  EXPECT_EQ(r0.ports[0].port, (IntOrString{80, {}}));
  EXPECT_EQ(r0.ports[1].port, (IntOrString{0, "http"}));
  EXPECT_EQ(r0.ports[2].end_port, 2000);
  EXPECT_EQ(r0.ports[2].protocol, "UDP");
  EXPECT_FALSE(r0.ports[3].port);
  EXPECT_TRUE(np.ingress[1].peers.empty());  // {} = allow all
  EXPECT_TRUE(np.ingress[1].ports.empty());
  ASSERT_EQ(np.egress.size(), 1u);
  EXPECT_EQ(np.egress[0].peers[0].ip_block->cidr, "0.0.0.0/0");
  EXPECT_EQ(decode_error<NetworkPolicy>(R"({"metadata": {"name": "p", "namespace": "n"},
        "spec": {"ingress": [{"from": [{"podSelector": {"matchExpressions": [{"key": "a", "values": "b"}]}}]}]}})"),
            "NetworkPolicy n/p: spec.ingress[0].from[0].podSelector.matchExpressions[0].values: "
            "expected array, got string");
}

TEST(DecodeLease, HolderTimesAndTransitions) {
  const Lease lease = decode<Lease>(json_object(R"({
    "metadata": {"name": "kube-router-lballoc", "namespace": "kube-system", "resourceVersion": "77"},
    "spec": {"holderIdentity": "kube-router-x", "leaseDurationSeconds": 15,
             "acquireTime": "2024-05-01T10:00:00.123456Z", "renewTime": "2024-05-01T10:00:05.5+02:00",
             "leaseTransitions": 3}})"));
  EXPECT_EQ(lease.meta.resource_version, "77");
  EXPECT_EQ(lease.holder_identity, "kube-router-x");
  EXPECT_EQ(lease.lease_duration_seconds, 15);
  EXPECT_EQ(format_micro_time(*lease.acquire_time), "2024-05-01T10:00:00.123456Z");
  EXPECT_EQ(format_micro_time(*lease.renew_time), "2024-05-01T08:00:05.500000Z");
  EXPECT_EQ(lease.lease_transitions, 3);
  const Lease empty =
      decode<Lease>(json_object(R"({"metadata": {"name": "l", "namespace": "n"}})"));
  EXPECT_FALSE(empty.holder_identity);
  EXPECT_FALSE(empty.renew_time);
}

TEST(DecodeMeta, EnoughToDeleteAnObjectWithABadBody) {
  const ObjectMeta meta = decode_meta(json_object(
      R"({"metadata": {"name": "web", "namespace": "shop", "resourceVersion": "5"},
          "spec": {"nodeName": 7}})"));
  EXPECT_EQ(meta.key(), "shop/web");
  EXPECT_EQ(meta.resource_version, "5");
  EXPECT_THROW(decode_meta(json_object(R"({"metadata": {"name": 5}})")), DecodeError);
}

}  // namespace
}  // namespace kr::k8s
