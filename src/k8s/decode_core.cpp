// Decoders for metadata and the core/v1 kinds: Pod, Node, Namespace, Service.
#include <boost/json/object.hpp>

#include "k8s/decode.h"
#include "k8s/decode_util.h"

namespace kr::k8s {
namespace json = boost::json;
using namespace detail;

namespace {

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 14695981039346656037ull;
  for (const char c : s) {
    h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  }
  return h;
}

bool is_kept_annotation(std::string_view key) {
  return key.starts_with(kKubeRouterAnnotationPrefix) || key == kLeaderAnnotation;
}

constexpr int64_t kMaxPort = 65535;

}  // namespace

std::string ObjectMeta::key() const {
  if (namespace_.empty()) {
    return name;
  }
  std::string k(namespace_.view());
  k += '/';
  k += name;
  return k;
}

namespace detail {

ObjectMeta decode_meta_fields(const json::object& o) {
  const Path root;
  const Path at = root.child("metadata");
  const json::object* m = object_field(o, at);
  if (m == nullptr) {
    fail(at, "missing");
  }
  ObjectMeta meta;
  meta.name = std::string(string_field(*m, at.child("name")));
  meta.namespace_ = interned_field(*m, at.child("namespace"));
  if (meta.name.empty()) {
    fail(at.child("name"), "missing");
  }
  meta.resource_version = std::string(string_field(*m, at.child("resourceVersion")));
  meta.uid_hash = fnv1a(string_field(*m, at.child("uid")));
  meta.labels = string_map_field(*m, at.child("labels"));
  meta.annotations = string_map_field(*m, at.child("annotations"), is_kept_annotation);
  meta.deletion_timestamp = time_field(*m, at.child("deletionTimestamp"));
  return meta;
}

}  // namespace detail

ObjectMeta decode_meta(const json::object& o) {
  try {
    return detail::decode_meta_fields(o);
  } catch (const detail::FieldError& e) {
    detail::throw_decode_error("object", detail::best_effort_key(o), e);
  }
}

template <>
Pod decode<Pod>(const json::object& o) {
  return detail::decode_object<Pod>("Pod", o, [&](Pod& pod) {
    const Path root;
    const Path spec_at = root.child("spec");
    if (const json::object* spec = object_field(o, spec_at)) {
      pod.node_name = interned_field(*spec, spec_at.child("nodeName"));
      pod.host_network = bool_field(*spec, spec_at.child("hostNetwork")).value_or(false);
      pod.termination_grace_period_seconds =
          int_field(*spec, spec_at.child("terminationGracePeriodSeconds"), 0, INT64_MAX);
      for_each_object(
          *spec, spec_at.child("containers"), [&](const json::object& c, const Path& cp) {
            for_each_object(c, cp.child("ports"), [&](const json::object& p, const Path& pp) {
              pod.container_ports.push_back(ContainerPort{
                  interned_field(p, pp.child("name")),
                  static_cast<int32_t>(
                      int_field(p, pp.child("containerPort"), 0, kMaxPort).value_or(0)),
                  interned_field(p, pp.child("protocol"))});
            });
          });
    }
    const Path status_at = root.child("status");
    if (const json::object* status = object_field(o, status_at)) {
      pod.phase = interned_field(*status, status_at.child("phase"));
      pod.host_ip = interned_field(*status, status_at.child("hostIP"));
      for_each_object(*status, status_at.child("podIPs"),
                      [&](const json::object& ip, const Path& p) {
                        pod.pod_ips.emplace_back(string_field(ip, p.child("ip")));
                      });
      // Servers before dual-stack only send podIP.
      const std::string_view pod_ip = string_field(*status, status_at.child("podIP"));
      if (pod.pod_ips.empty() && !pod_ip.empty()) {
        pod.pod_ips.emplace_back(pod_ip);
      }
      for_each_object(*status, status_at.child("containerStatuses"),
                      [&](const json::object& cs, const Path& p) {
                        if (pod.first_container_id.empty() && p.index == 0) {
                          pod.first_container_id = string_field(cs, p.child("containerID"));
                        }
                      });
    }
    pod.container_ports.shrink_to_fit();
  });
}

template <>
Node decode<Node>(const json::object& o) {
  return detail::decode_object<Node>("Node", o, [&](Node& node) {
    const Path root;
    const Path spec_at = root.child("spec");
    if (const json::object* spec = object_field(o, spec_at)) {
      node.pod_cidr = string_field(*spec, spec_at.child("podCIDR"));
      node.pod_cidrs = string_array_field(*spec, spec_at.child("podCIDRs"));
      node.provider_id = string_field(*spec, spec_at.child("providerID"));
    }
    const Path status_at = root.child("status");
    if (const json::object* status = object_field(o, status_at)) {
      for_each_object(
          *status, status_at.child("addresses"), [&](const json::object& a, const Path& p) {
            node.addresses.push_back(NodeAddress{interned_field(a, p.child("type")),
                                                 std::string(string_field(a, p.child("address")))});
          });
    }
  });
}

template <>
Namespace decode<Namespace>(const json::object& o) {
  return detail::decode_object<Namespace>("Namespace", o, [](Namespace&) {});
}

template <>
Service decode<Service>(const json::object& o) {
  return detail::decode_object<Service>("Service", o, [&](Service& svc) {
    const Path root;
    const Path spec_at = root.child("spec");
    if (const json::object* spec = object_field(o, spec_at)) {
      const json::object& s = *spec;
      const Path& at = spec_at;
      svc.type = interned_field(s, at.child("type"));
      svc.cluster_ip = string_field(s, at.child("clusterIP"));
      svc.cluster_ips = string_array_field(s, at.child("clusterIPs"));
      svc.external_ips = string_array_field(s, at.child("externalIPs"));
      svc.load_balancer_ip = string_field(s, at.child("loadBalancerIP"));
      svc.selector = string_map_field(s, at.child("selector"));
      svc.session_affinity = interned_field(s, at.child("sessionAffinity"));
      const Path cfg_at = at.child("sessionAffinityConfig");
      if (const json::object* cfg = object_field(s, cfg_at)) {
        const Path client_at = cfg_at.child("clientIP");
        if (const json::object* client = object_field(*cfg, client_at)) {
          svc.session_affinity_timeout_seconds =
              int_field(*client, client_at.child("timeoutSeconds"), 0, INT32_MAX);
        }
      }
      svc.external_traffic_policy = interned_field(s, at.child("externalTrafficPolicy"));
      svc.internal_traffic_policy = interned_field(s, at.child("internalTrafficPolicy"));
      svc.health_check_node_port = static_cast<int32_t>(
          int_field(s, at.child("healthCheckNodePort"), 0, kMaxPort).value_or(0));
      svc.ip_families = interned_array_field(s, at.child("ipFamilies"));
      svc.ip_family_policy = interned_field(s, at.child("ipFamilyPolicy"));
      if (const json::value* cls = s.if_contains("loadBalancerClass");
          cls != nullptr && !cls->is_null()) {
        svc.load_balancer_class = std::string(string_field(s, at.child("loadBalancerClass")));
      }
      for_each_object(s, at.child("ports"), [&](const json::object& p, const Path& pp) {
        ServicePort port;
        port.name = interned_field(p, pp.child("name"));
        port.protocol = interned_field(p, pp.child("protocol"));
        port.port = static_cast<int32_t>(int_field(p, pp.child("port"), 0, kMaxPort).value_or(0));
        port.target_port = int_or_string_field(p, pp.child("targetPort")).value_or(IntOrString{});
        port.node_port =
            static_cast<int32_t>(int_field(p, pp.child("nodePort"), 0, kMaxPort).value_or(0));
        svc.ports.push_back(std::move(port));
      });
    }
    const Path status_at = root.child("status");
    if (const json::object* status = object_field(o, status_at)) {
      const Path lb_at = status_at.child("loadBalancer");
      if (const json::object* lb = object_field(*status, lb_at)) {
        for_each_object(*lb, lb_at.child("ingress"), [&](const json::object& i, const Path& p) {
          svc.load_balancer_ingress.push_back(
              LoadBalancerIngress{std::string(string_field(i, p.child("ip"))),
                                  std::string(string_field(i, p.child("hostname"))),
                                  interned_field(i, p.child("ipMode"))});
        });
      }
    }
  });
}

}  // namespace kr::k8s
