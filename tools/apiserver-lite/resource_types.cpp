#include "resource_types.h"

#include <algorithm>

namespace kr::apiserver_lite {

std::string ResourceType::api_version() const {
  return group.empty() ? version : group + "/" + version;
}

std::string ResourceType::qualified_plural() const {
  return group.empty() ? plural : plural + "." + group;
}

bool ResourceType::supports_field_label(std::string_view label) const {
  if (label == "metadata.name" || label == "metadata.namespace") {
    return true;
  }
  return std::find(extra_field_labels.begin(), extra_field_labels.end(), label) !=
         extra_field_labels.end();
}

const std::vector<ResourceType>& all_resource_types() {
  // Facts from the Kubernetes 1.32 registry strategies (pkg/registry/<group>/<kind>/strategy.go)
  // and the field label conversion functions (pkg/apis/core/v1/conversion.go).
  static const std::vector<ResourceType> types = {
      {.group = "",
       .version = "v1",
       .plural = "namespaces",
       .singular = "namespace",
       .kind = "Namespace",
       .namespaced = false,
       .short_names = {"ns"},
       .has_status = true,
       .extra_field_labels = {"status.phase"}},
      {.group = "",
       .version = "v1",
       .plural = "nodes",
       .singular = "node",
       .kind = "Node",
       .namespaced = false,
       .short_names = {"no"},
       .has_status = true,
       .extra_field_labels = {"spec.unschedulable"}},
      {.group = "",
       .version = "v1",
       .plural = "pods",
       .singular = "pod",
       .kind = "Pod",
       .short_names = {"po"},
       .has_status = true,
       .extra_field_labels = {"spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
                              "spec.serviceAccountName", "spec.hostNetwork", "status.phase",
                              "status.podIP", "status.nominatedNodeName"}},
      {.group = "",
       .version = "v1",
       .plural = "services",
       .singular = "service",
       .kind = "Service",
       .short_names = {"svc"},
       .has_status = true},
      {.group = "",
       .version = "v1",
       .plural = "endpoints",
       .singular = "endpoints",
       .kind = "Endpoints",
       .short_names = {"ep"},
       .allow_create_on_update = true},
      {.group = "discovery.k8s.io",
       .version = "v1",
       .plural = "endpointslices",
       .singular = "endpointslice",
       .kind = "EndpointSlice",
       .generation_fields = {"addressType", "endpoints", "ports"}},
      {.group = "networking.k8s.io",
       .version = "v1",
       .plural = "networkpolicies",
       .singular = "networkpolicy",
       .kind = "NetworkPolicy",
       .short_names = {"netpol"},
       .generation_fields = {"spec"}},
      {.group = "coordination.k8s.io",
       .version = "v1",
       .plural = "leases",
       .singular = "lease",
       .kind = "Lease",
       .allow_create_on_update = true},
  };
  return types;
}

const ResourceType* find_resource(std::string_view group, std::string_view version,
                                  std::string_view plural) {
  for (const auto& type : all_resource_types()) {
    if (type.group == group && type.version == version && type.plural == plural) {
      return &type;
    }
  }
  return nullptr;
}

const ResourceType* find_resource_by_kind(std::string_view api_version, std::string_view kind) {
  for (const auto& type : all_resource_types()) {
    if (type.api_version() == api_version && type.kind == kind) {
      return &type;
    }
  }
  return nullptr;
}

}  // namespace kr::apiserver_lite
