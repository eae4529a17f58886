// JSON of the objects the integration tests create on apiserver-lite.
#pragma once

#include <fmt/format.h>

#include <string>

namespace kr::k8s::testing {

inline std::string pod_json(const std::string& ns, const std::string& name,
                            const std::string& node = "node-1", const std::string& ip = "") {
  return fmt::format(
      R"({{"apiVersion":"v1","kind":"Pod","metadata":{{"name":"{}","namespace":"{}","labels":{{"app":"{}"}}}},)"
      R"("spec":{{"nodeName":"{}","containers":[{{"name":"c","image":"nginx","ports":[{{"name":"http","containerPort":8080}}]}}]}},)"
      R"("status":{{"phase":"Running","podIP":"{}"}}}})",
      name, ns, name, node, ip);
}

inline std::string service_json(const std::string& ns, const std::string& name,
                                const std::string& type = "ClusterIP") {
  return fmt::format(
      R"({{"apiVersion":"v1","kind":"Service","metadata":{{"name":"{}","namespace":"{}",)"
      R"("annotations":{{"kube-router.io/service.scheduler":"lc"}}}},)"
      R"("spec":{{"type":"{}","selector":{{"app":"{}"}},"ports":[{{"name":"http","port":80,"targetPort":"http"}}]}}}})",
      name, ns, type, name);
}

inline std::string slice_json(const std::string& ns, const std::string& name,
                              const std::string& service, const std::string& ip) {
  return fmt::format(
      R"({{"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{{"name":"{}","namespace":"{}",)"
      R"("labels":{{"kubernetes.io/service-name":"{}"}}}},"addressType":"IPv4",)"
      R"("endpoints":[{{"addresses":["{}"],"conditions":{{"ready":true}},"nodeName":"node-1"}}],)"
      R"("ports":[{{"name":"http","port":8080,"protocol":"TCP"}}]}})",
      name, ns, service, ip);
}

inline std::string namespace_json(const std::string& name, const std::string& team) {
  return fmt::format(
      R"({{"apiVersion":"v1","kind":"Namespace","metadata":{{"name":"{}","labels":{{"team":"{}"}}}}}})",
      name, team);
}

inline std::string node_json(const std::string& name, const std::string& ip) {
  return fmt::format(
      R"({{"apiVersion":"v1","kind":"Node","metadata":{{"name":"{}","annotations":{{"kube-router.io/node.asn":"64512"}}}},)"
      R"("spec":{{"podCIDR":"10.244.1.0/24","podCIDRs":["10.244.1.0/24"]}},)"
      R"("status":{{"addresses":[{{"type":"InternalIP","address":"{}"}}]}}}})",
      name, ip);
}

inline std::string policy_json(const std::string& ns, const std::string& name) {
  return fmt::format(
      R"({{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{{"name":"{}","namespace":"{}"}},)"
      R"("spec":{{"podSelector":{{"matchLabels":{{"app":"web"}}}},"policyTypes":["Ingress"],)"
      R"("ingress":[{{"from":[{{"namespaceSelector":{{}}}}],"ports":[{{"protocol":"TCP","port":"http"}}]}}]}}}})",
      name, ns);
}

}  // namespace kr::k8s::testing
