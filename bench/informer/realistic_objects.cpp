#include "realistic_objects.h"

#include <fmt/format.h>

#include <functional>
#include <random>

namespace kr::bench {
namespace {

constexpr size_t kNamespaces = 40;
constexpr size_t kNodes = 100;
constexpr const char* kTime = "2024-05-01T10:00:00Z";

struct Rand {
  std::mt19937_64 rng{42};
  std::string hex(size_t n) {
    static const char* digits = "0123456789abcdef";
    std::string s(n, '0');
    for (char& c : s) {
      c = digits[rng() % 16];
    }
    return s;
  }
  std::string uid() { return hex(8) + "-" + hex(4) + "-" + hex(4) + "-" + hex(4) + "-" + hex(12); }
  std::string suffix(size_t n) {
    static const char* alphabet = "bcdfghjklmnpqrstvwxz2456789";
    std::string s(n, 'x');
    for (char& c : s) {
      c = alphabet[rng() % 27];
    }
    return s;
  }
};

// Deployments of 5 replicas: workload `w` lives in namespace w % kNamespaces.
std::string ns_of(size_t workload) { return fmt::format("team-{:02}", workload % kNamespaces); }
std::string app_of(size_t workload) { return fmt::format("app-{}", workload); }

std::vector<std::string> paginate(size_t count, size_t page_size, const char* api_version,
                                  const char* list_kind,
                                  const std::function<std::string(size_t)>& item) {
  std::vector<std::string> pages;
  for (size_t start = 0; start < count; start += page_size) {
    const size_t end = std::min(count, start + page_size);
    std::string body =
        fmt::format(R"({{"kind":"{}","apiVersion":"{}","metadata":{{)", list_kind, api_version);
    body += R"("resourceVersion":"987654")";
    if (end < count) {
      body += fmt::format(
          R"(,"continue":"eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6OTg3NjU0LCJzdGFydCI6{}"}})", end);
    } else {
      body += "}";
    }
    body += R"(,"items":[)";
    for (size_t i = start; i < end; ++i) {
      if (i > start) {
        body += ',';
      }
      body += item(i);
    }
    body += "]}";
    pages.push_back(std::move(body));
  }
  return pages;
}

std::string managed_fields(const std::string& manager, const std::string& fields) {
  return fmt::format(
      R"({{"manager":"{}","operation":"Update","apiVersion":"v1","time":"{}","fieldsType":"FieldsV1","fieldsV1":{}}})",
      manager, kTime, fields);
}

}  // namespace

std::vector<std::string> pod_pages(size_t count, size_t page_size) {
  Rand r;
  return paginate(count, page_size, "v1", "PodList", [&](size_t i) {
    const size_t workload = i / 5;
    const std::string ns = ns_of(workload);
    const std::string app = app_of(workload);
    const std::string hash = r.suffix(10);
    const std::string rs = app + "-" + hash;
    const std::string name = rs + "-" + r.suffix(5);
    const size_t node = i % kNodes;
    const std::string pod_ip = fmt::format("10.244.{}.{}", node, 2 + (i / kNodes) % 250);
    const std::string spec_fields =
        R"({"f:metadata":{"f:generateName":{},"f:labels":{".":{},"f:app":{},"f:pod-template-hash":{},"f:tier":{},"f:version":{}},"f:ownerReferences":{".":{},"k:{\"uid\":\"x\"}":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{".":{},"f:env":{".":{},"k:{\"name\":\"LOG_LEVEL\"}":{".":{},"f:name":{},"f:value":{}}},"f:image":{},"f:imagePullPolicy":{},"f:livenessProbe":{".":{},"f:httpGet":{".":{},"f:path":{},"f:port":{},"f:scheme":{}}},"f:name":{},"f:ports":{".":{},"k:{\"containerPort\":8080,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{},"f:name":{},"f:protocol":{}}},"f:resources":{".":{},"f:limits":{".":{},"f:cpu":{},"f:memory":{}},"f:requests":{".":{},"f:cpu":{},"f:memory":{}}}}},"f:dnsPolicy":{},"f:enableServiceLinks":{},"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},"f:terminationGracePeriodSeconds":{}}})";
    const std::string status_fields =
        R"({"f:status":{"f:conditions":{"k:{\"type\":\"ContainersReady\"}":{".":{},"f:lastProbeTime":{},"f:lastTransitionTime":{},"f:status":{},"f:type":{}},"k:{\"type\":\"Initialized\"}":{".":{},"f:lastProbeTime":{},"f:lastTransitionTime":{},"f:status":{},"f:type":{}},"k:{\"type\":\"Ready\"}":{".":{},"f:lastProbeTime":{},"f:lastTransitionTime":{},"f:status":{},"f:type":{}}},"f:containerStatuses":{},"f:hostIP":{},"f:hostIPs":{},"f:phase":{},"f:podIP":{},"f:podIPs":{".":{},"k:{\"ip\":\"x\"}":{".":{},"f:ip":{}}},"f:startTime":{}}})";
    std::string pod = fmt::format(
        R"({{"metadata":{{"name":"{name}","generateName":"{rs}-","namespace":"{ns}","uid":"{uid}","resourceVersion":"{rv}","creationTimestamp":"{t}",)"
        R"("labels":{{"app":"{app}","pod-template-hash":"{hash}","tier":"{tier}","version":"v1.{v}.0"}},)"
        R"("annotations":{{"kubectl.kubernetes.io/restartedAt":"{t}","prometheus.io/scrape":"true","prometheus.io/port":"9100"}},)"
        R"("ownerReferences":[{{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"{rs}","uid":"{owner}","controller":true,"blockOwnerDeletion":true}}],)"
        R"("managedFields":[{mf1},{mf2}]}},)",
        fmt::arg("name", name), fmt::arg("rs", rs), fmt::arg("ns", ns), fmt::arg("uid", r.uid()),
        fmt::arg("rv", 100000 + i), fmt::arg("t", kTime), fmt::arg("app", app),
        fmt::arg("hash", hash), fmt::arg("tier", i % 3 == 0 ? "frontend" : "backend"),
        fmt::arg("v", workload % 7), fmt::arg("owner", r.uid()),
        fmt::arg("mf1", managed_fields("kube-controller-manager", spec_fields)),
        fmt::arg("mf2", managed_fields("kubelet", status_fields)));
    pod += fmt::format(
        R"("spec":{{"volumes":[{{"name":"kube-api-access-{vol}","projected":{{"sources":[{{"serviceAccountToken":{{"expirationSeconds":3607,"path":"token"}}}},{{"configMap":{{"name":"kube-root-ca.crt","items":[{{"key":"ca.crt","path":"ca.crt"}}]}}}}],"defaultMode":420}}}}],)"
        R"("containers":[{{"name":"app","image":"registry.example.com/{ns}/{app}:v1.{v}.0","ports":[{{"name":"http","containerPort":8080,"protocol":"TCP"}},{{"name":"metrics","containerPort":9100,"protocol":"TCP"}}],)"
        R"("env":[{{"name":"LOG_LEVEL","value":"info"}},{{"name":"POD_NAME","valueFrom":{{"fieldRef":{{"apiVersion":"v1","fieldPath":"metadata.name"}}}}}}],)"
        R"("resources":{{"limits":{{"cpu":"500m","memory":"256Mi"}},"requests":{{"cpu":"100m","memory":"128Mi"}}}},)"
        R"("volumeMounts":[{{"name":"kube-api-access-{vol}","readOnly":true,"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}}],)"
        R"("livenessProbe":{{"httpGet":{{"path":"/healthz","port":8080,"scheme":"HTTP"}},"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3}},)"
        R"("readinessProbe":{{"httpGet":{{"path":"/ready","port":"http","scheme":"HTTP"}},"timeoutSeconds":1,"periodSeconds":5,"successThreshold":1,"failureThreshold":3}},)"
        R"("terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"}}],)"
        R"("restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","serviceAccountName":"default","serviceAccount":"default",)"
        R"("nodeName":"node-{node}","securityContext":{{}},"schedulerName":"default-scheduler",)"
        R"("tolerations":[{{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}},{{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}}],)"
        R"("priority":0,"enableServiceLinks":true,"preemptionPolicy":"PreemptLowerPriority"}},)",
        fmt::arg("vol", r.suffix(5)), fmt::arg("ns", ns), fmt::arg("app", app),
        fmt::arg("v", workload % 7), fmt::arg("node", node));
    pod += fmt::format(
        R"("status":{{"phase":"Running","conditions":[)"
        R"({{"type":"Initialized","status":"True","lastProbeTime":null,"lastTransitionTime":"{t}"}},)"
        R"({{"type":"Ready","status":"True","lastProbeTime":null,"lastTransitionTime":"{t}"}},)"
        R"({{"type":"ContainersReady","status":"True","lastProbeTime":null,"lastTransitionTime":"{t}"}},)"
        R"({{"type":"PodScheduled","status":"True","lastProbeTime":null,"lastTransitionTime":"{t}"}}],)"
        R"("hostIP":"192.168.0.{node}","hostIPs":[{{"ip":"192.168.0.{node}"}}],"podIP":"{ip}","podIPs":[{{"ip":"{ip}"}}],"startTime":"{t}",)"
        R"("containerStatuses":[{{"name":"app","state":{{"running":{{"startedAt":"{t}"}}}},"lastState":{{}},"ready":true,"restartCount":0,)"
        R"("image":"registry.example.com/{ns}/{app}:v1.{v}.0","imageID":"registry.example.com/{ns}/{app}@sha256:{digest}",)"
        R"("containerID":"containerd://{cid}","started":true}}],"qosClass":"Burstable"}}}})",
        fmt::arg("t", kTime), fmt::arg("node", node), fmt::arg("ip", pod_ip), fmt::arg("ns", ns),
        fmt::arg("app", app), fmt::arg("v", workload % 7), fmt::arg("digest", r.hex(64)),
        fmt::arg("cid", r.hex(64)));
    return pod;
  });
}

std::vector<std::string> service_pages(size_t count, size_t page_size) {
  Rand r;
  return paginate(count, page_size, "v1", "ServiceList", [&](size_t i) {
    const std::string ns = ns_of(i);
    const std::string app = app_of(i);
    const bool lb = i % 10 == 0;
    const std::string cluster_ip = fmt::format("10.96.{}.{}", (i / 250) % 256, 1 + i % 250);
    const std::string last_applied = fmt::format(
        R"({{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{{\"annotations\":{{}},\"labels\":{{\"app\":\"{app}\"}},\"name\":\"{app}\",\"namespace\":\"{ns}\"}},\"spec\":{{\"ports\":[{{\"name\":\"http\",\"port\":80,\"targetPort\":\"http\"}},{{\"name\":\"metrics\",\"port\":9100,\"targetPort\":9100}}],\"selector\":{{\"app\":\"{app}\"}}}}}}\n)",
        fmt::arg("app", app), fmt::arg("ns", ns));
    const std::string fields =
        R"({"f:metadata":{"f:annotations":{".":{},"f:kubectl.kubernetes.io/last-applied-configuration":{}},"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:internalTrafficPolicy":{},"f:ports":{".":{},"k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},"f:name":{},"f:port":{},"f:protocol":{},"f:targetPort":{}},"k:{\"port\":9100,\"protocol\":\"TCP\"}":{".":{},"f:name":{},"f:port":{},"f:protocol":{},"f:targetPort":{}}},"f:selector":{},"f:sessionAffinity":{},"f:type":{}}})";
    return fmt::format(
        R"({{"metadata":{{"name":"{app}","namespace":"{ns}","uid":"{uid}","resourceVersion":"{rv}","creationTimestamp":"{t}",)"
        R"("labels":{{"app":"{app}"}},"annotations":{{"kubectl.kubernetes.io/last-applied-configuration":"{la}"{extra}}},)"
        R"("managedFields":[{mf}]}},)"
        R"("spec":{{"ports":[{{"name":"http","protocol":"TCP","port":80,"targetPort":"http"{np1}}},{{"name":"metrics","protocol":"TCP","port":9100,"targetPort":9100{np2}}}],)"
        R"("selector":{{"app":"{app}"}},"clusterIP":"{ip}","clusterIPs":["{ip}"],"type":"{type}","sessionAffinity":"None",)"
        R"("ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack","internalTrafficPolicy":"Cluster"{ext}}},)"
        R"("status":{{"loadBalancer":{{{ingress}}}}}}})",
        fmt::arg("app", app), fmt::arg("ns", ns), fmt::arg("uid", r.uid()),
        fmt::arg("rv", 200000 + i), fmt::arg("t", kTime), fmt::arg("la", last_applied),
        fmt::arg("extra", lb ? R"(,"kube-router.io/service.scheduler":"mh")" : ""),
        fmt::arg("mf", managed_fields("kubectl-client-side-apply", fields)),
        fmt::arg("np1", lb ? fmt::format(R"(,"nodePort":{})", 30000 + i % 2000) : ""),
        fmt::arg("np2", lb ? fmt::format(R"(,"nodePort":{})", 32000 + i % 700) : ""),
        fmt::arg("ip", cluster_ip), fmt::arg("type", lb ? "LoadBalancer" : "ClusterIP"),
        fmt::arg(
            "ext",
            lb ? R"(,"externalTrafficPolicy":"Cluster","allocateLoadBalancerNodePorts":true)" : ""),
        fmt::arg("ingress",
                 lb ? fmt::format(R"("ingress":[{{"ip":"198.51.100.{}","ipMode":"VIP"}}])", i % 250)
                    : ""));
  });
}

std::vector<std::string> endpoint_slice_pages(size_t count, size_t page_size) {
  Rand r;
  return paginate(count, page_size, "discovery.k8s.io/v1", "EndpointSliceList", [&](size_t i) {
    const std::string ns = ns_of(i);
    const std::string app = app_of(i);
    std::string endpoints;
    for (size_t e = 0; e < 3; ++e) {
      const size_t node = (i * 3 + e) % kNodes;
      endpoints += fmt::format(
          R"({}{{"addresses":["10.244.{}.{}"],"conditions":{{"ready":true,"serving":true,"terminating":false}},)"
          R"("targetRef":{{"kind":"Pod","namespace":"{}","name":"{}-{}-{}","uid":"{}"}},"nodeName":"node-{}","zone":"zone-{}"}})",
          e == 0 ? "" : ",", node, 2 + (i / kNodes) % 250, ns, app, r.suffix(10), r.suffix(5),
          r.uid(), node, node % 3);
    }
    const std::string fields =
        R"({"f:addressType":{},"f:endpoints":{},"f:metadata":{"f:annotations":{".":{},"f:endpoints.kubernetes.io/last-change-trigger-time":{}},"f:generateName":{},"f:labels":{".":{},"f:app":{},"f:endpointslice.kubernetes.io/managed-by":{},"f:kubernetes.io/service-name":{}},"f:ownerReferences":{".":{},"k:{\"uid\":\"x\"}":{}}},"f:ports":{}})";
    return fmt::format(
        R"({{"metadata":{{"name":"{app}-{sfx}","generateName":"{app}-","namespace":"{ns}","uid":"{uid}","resourceVersion":"{rv}","generation":3,"creationTimestamp":"{t}",)"
        R"("labels":{{"app":"{app}","endpointslice.kubernetes.io/managed-by":"endpointslice-controller.k8s.io","kubernetes.io/service-name":"{app}"}},)"
        R"("annotations":{{"endpoints.kubernetes.io/last-change-trigger-time":"{t}"}},)"
        R"("ownerReferences":[{{"apiVersion":"v1","kind":"Service","name":"{app}","uid":"{owner}","controller":true,"blockOwnerDeletion":true}}],)"
        R"("managedFields":[{mf}]}},"addressType":"IPv4","endpoints":[{eps}],)"
        R"("ports":[{{"name":"http","protocol":"TCP","port":8080}},{{"name":"metrics","protocol":"TCP","port":9100}}]}})",
        fmt::arg("app", app), fmt::arg("sfx", r.suffix(5)), fmt::arg("ns", ns),
        fmt::arg("uid", r.uid()), fmt::arg("rv", 300000 + i), fmt::arg("t", kTime),
        fmt::arg("owner", r.uid()),
        fmt::arg("mf", managed_fields("kube-controller-manager", fields)),
        fmt::arg("eps", endpoints));
  });
}

}  // namespace kr::bench
