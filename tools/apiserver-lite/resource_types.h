// The resource types apiserver-lite serves, with the API facts that differ between them:
// group/version, kind, scope, short names, status subresource, which changes bump
// metadata.generation and which field selectors the real API server accepts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kr::apiserver_lite {

struct ResourceType {
  std::string group;  // "" for the core ("legacy") group served under /api
  std::string version;
  std::string plural;  // URL segment and RBAC resource name, e.g. "pods"
  std::string singular;
  std::string kind;
  bool namespaced = true;
  std::vector<std::string> short_names{};
  // Has a /status subresource; the main resource then ignores .status changes on update and
  // the /status endpoint changes nothing but .status (Kubernetes API conventions, "Spec and
  // Status").
  bool has_status = false;
  // Top-level fields whose change increments metadata.generation. Empty: the real API leaves
  // generation unset for this kind (e.g. Pod in 1.32, Service, Node).
  std::vector<std::string> generation_fields{};
  // PUT to a missing object creates it (true for Lease and Endpoints in the real API).
  bool allow_create_on_update = false;
  // Field selector labels supported beyond metadata.name and metadata.namespace.
  std::vector<std::string> extra_field_labels{};

  // "v1" for core, "group/version" otherwise.
  std::string api_version() const;
  // "pods" or "networkpolicies.networking.k8s.io": how Status messages name the resource.
  std::string qualified_plural() const;
  std::string list_kind() const { return kind + "List"; }
  bool supports_field_label(std::string_view label) const;
};

const std::vector<ResourceType>& all_resource_types();

// Looks a type up by its URL coordinates; nullptr when not served.
const ResourceType* find_resource(std::string_view group, std::string_view version,
                                  std::string_view plural);
// Looks a type up by apiVersion ("v1", "discovery.k8s.io/v1") and kind; nullptr when unknown.
const ResourceType* find_resource_by_kind(std::string_view api_version, std::string_view kind);

}  // namespace kr::apiserver_lite
