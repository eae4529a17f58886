// Where each kind lives in the API: group/version prefix and resource (plural) name.
#pragma once

#include <string>
#include <string_view>

#include "k8s/objects.h"

namespace kr::k8s {

template <class T>
struct Resource;

template <>
struct Resource<Pod> {
  static constexpr std::string_view kKind = "Pod";
  static constexpr std::string_view kPrefix = "/api/v1";
  static constexpr std::string_view kPlural = "pods";
};
template <>
struct Resource<Node> {
  static constexpr std::string_view kKind = "Node";
  static constexpr std::string_view kPrefix = "/api/v1";
  static constexpr std::string_view kPlural = "nodes";
};
template <>
struct Resource<Namespace> {
  static constexpr std::string_view kKind = "Namespace";
  static constexpr std::string_view kPrefix = "/api/v1";
  static constexpr std::string_view kPlural = "namespaces";
};
template <>
struct Resource<Service> {
  static constexpr std::string_view kKind = "Service";
  static constexpr std::string_view kPrefix = "/api/v1";
  static constexpr std::string_view kPlural = "services";
};
template <>
struct Resource<EndpointSlice> {
  static constexpr std::string_view kKind = "EndpointSlice";
  static constexpr std::string_view kPrefix = "/apis/discovery.k8s.io/v1";
  static constexpr std::string_view kPlural = "endpointslices";
};
template <>
struct Resource<NetworkPolicy> {
  static constexpr std::string_view kKind = "NetworkPolicy";
  static constexpr std::string_view kPrefix = "/apis/networking.k8s.io/v1";
  static constexpr std::string_view kPlural = "networkpolicies";
};
template <>
struct Resource<Lease> {
  static constexpr std::string_view kKind = "Lease";
  static constexpr std::string_view kPrefix = "/apis/coordination.k8s.io/v1";
  static constexpr std::string_view kPlural = "leases";
};

// The cluster-wide collection, e.g. /api/v1/pods.
template <class T>
std::string collection_path() {
  std::string p(Resource<T>::kPrefix);
  p += '/';
  p += Resource<T>::kPlural;
  return p;
}

// One object: /api/v1/namespaces/<ns>/services/<name>, or /api/v1/nodes/<name> when ns is "".
// Names are DNS labels/subdomains, so they need no escaping.
template <class T>
std::string object_path(std::string_view ns, std::string_view name) {
  std::string p(Resource<T>::kPrefix);
  if (!ns.empty()) {
    p += "/namespaces/";
    p += ns;
  }
  p += '/';
  p += Resource<T>::kPlural;
  p += '/';
  p += name;
  return p;
}

// Index key of an EndpointSlice: "<namespace>/<kubernetes.io/service-name>", or "" (unindexed)
// when the label is missing, as the upstream "service-name" indexer does.
inline std::string service_name_index(const EndpointSlice& slice) {
  const std::string_view svc = slice.service_name();
  if (svc.empty()) {
    return {};
  }
  std::string key(slice.meta.namespace_.view());
  key += '/';
  key += svc;
  return key;
}

}  // namespace kr::k8s
