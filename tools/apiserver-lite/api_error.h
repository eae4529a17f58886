// API errors as the real API server reports them: an HTTP code plus a metav1.Status body whose
// reason, message and details match k8s.io/apimachinery/pkg/api/errors, so clients that branch
// on reason (IsNotFound, IsConflict, IsResourceExpired, ...) behave as against a real cluster.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kr::apiserver_lite {

struct ResourceType;

struct StatusCause {
  std::string reason;  // e.g. "FieldValueInvalid"
  std::string message;
  std::string field;
};

class ApiError : public std::runtime_error {
 public:
  ApiError(int code, std::string reason, const std::string& message);

  int code;
  std::string reason;  // metav1.StatusReason, e.g. "NotFound"
  // metav1.StatusDetails; empty strings are omitted from the body.
  std::string details_name;
  std::string details_group;
  std::string details_kind;
  std::vector<StatusCause> causes;
  int retry_after_seconds = 0;
  // ListMeta.continue of the Status (set on 410 for an expired continue token).
  std::string continue_token;
};

// Serialises a failure metav1.Status: {"kind":"Status","apiVersion":"v1","metadata":{},
// "status":"Failure","message":...,"reason":...,"details":...,"code":...}.
std::string status_json(const ApiError& error);

// Constructors mirroring apimachinery's errors.NewXxx.
ApiError not_found(const ResourceType& type, std::string_view name);
ApiError already_exists(const ResourceType& type, std::string_view name);
ApiError conflict(const ResourceType& type, std::string_view name, std::string_view why);
// The optimistic-concurrency failure of an update with a stale metadata.resourceVersion.
ApiError stale_conflict(const ResourceType& type, std::string_view name);
ApiError invalid(const ResourceType& type, std::string_view name, std::vector<StatusCause> causes);
// errors.NewInvalid for a kind that is not a served resource (e.g. ListOptions.meta.k8s.io).
ApiError invalid(std::string_view kind, std::string_view group, std::string_view name,
                 std::vector<StatusCause> causes);
ApiError bad_request(const std::string& message);
ApiError unauthorized();
// RBAC's refusal of a resource request; `resource` may name a subresource ("pods/status").
ApiError forbidden(const ResourceType& type, std::string_view resource, std::string_view name,
                   std::string_view user, std::string_view verb, std::string_view ns);
// RBAC's refusal of a non-resource URL such as /_lite/compact.
ApiError forbidden_path(std::string_view user, std::string_view verb, std::string_view path);
ApiError expired(const std::string& message);
ApiError method_not_allowed();
ApiError path_not_found();
ApiError unsupported_media_type(std::string_view content_type);
ApiError not_acceptable();
ApiError too_large_resource_version(unsigned long long requested, unsigned long long current);
ApiError request_entity_too_large();
// An error of any HTTP code with the reason apimachinery assigns to it (fault injection).
ApiError generic_error(int code);

}  // namespace kr::apiserver_lite
