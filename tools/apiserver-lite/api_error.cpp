#include "api_error.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "resource_types.h"

namespace kr::apiserver_lite {
namespace json = boost::json;

ApiError::ApiError(int code_in, std::string reason_in, const std::string& message)
    : std::runtime_error(message), code(code_in), reason(std::move(reason_in)) {}

std::string status_json(const ApiError& error) {
  json::object status;
  status["kind"] = "Status";
  status["apiVersion"] = "v1";
  json::object metadata;
  if (!error.continue_token.empty()) {
    metadata["continue"] = error.continue_token;
  }
  status["metadata"] = std::move(metadata);
  status["status"] = "Failure";
  status["message"] = error.what();
  status["reason"] = error.reason;
  json::object details;
  if (!error.details_name.empty()) {
    details["name"] = error.details_name;
  }
  if (!error.details_group.empty()) {
    details["group"] = error.details_group;
  }
  if (!error.details_kind.empty()) {
    details["kind"] = error.details_kind;
  }
  if (!error.causes.empty()) {
    json::array causes;
    for (const auto& cause : error.causes) {
      json::object c;
      c["reason"] = cause.reason;
      c["message"] = cause.message;
      if (!cause.field.empty()) {
        c["field"] = cause.field;
      }
      causes.push_back(std::move(c));
    }
    details["causes"] = std::move(causes);
  }
  if (error.retry_after_seconds > 0) {
    details["retryAfterSeconds"] = error.retry_after_seconds;
  }
  if (!details.empty()) {
    status["details"] = std::move(details);
  }
  status["code"] = error.code;
  return json::serialize(status);
}

namespace {

ApiError with_resource(ApiError error, const ResourceType& type, std::string_view name) {
  error.details_name = std::string(name);
  error.details_group = type.group;
  error.details_kind = type.plural;
  return error;
}

std::string quoted_resource(const ResourceType& type, std::string_view name) {
  return type.qualified_plural() + " \"" + std::string(name) + "\"";
}

}  // namespace

ApiError not_found(const ResourceType& type, std::string_view name) {
  return with_resource(ApiError(404, "NotFound", quoted_resource(type, name) + " not found"), type,
                       name);
}

ApiError already_exists(const ResourceType& type, std::string_view name) {
  return with_resource(
      ApiError(409, "AlreadyExists", quoted_resource(type, name) + " already exists"), type, name);
}

ApiError conflict(const ResourceType& type, std::string_view name, std::string_view why) {
  return with_resource(ApiError(409, "Conflict",
                                "Operation cannot be fulfilled on " + quoted_resource(type, name) +
                                    ": " + std::string(why)),
                       type, name);
}

ApiError stale_conflict(const ResourceType& type, std::string_view name) {
  return conflict(type, name,
                  "the object has been modified; please apply your changes to the latest "
                  "version and try again");
}

ApiError invalid(std::string_view kind, std::string_view group, std::string_view name,
                 std::vector<StatusCause> causes) {
  // errors.NewInvalid: `Kind.group "name" is invalid: field: message, field: message`.
  std::string summary;
  for (const auto& cause : causes) {
    if (!summary.empty()) {
      summary += ", ";
    }
    summary += cause.field.empty() ? cause.message : cause.field + ": " + cause.message;
  }
  const std::string qualified =
      group.empty() ? std::string(kind) : std::string(kind) + "." + std::string(group);
  ApiError error(422, "Invalid",
                 qualified + " \"" + std::string(name) + "\" is invalid: " + summary);
  error.details_name = std::string(name);
  error.details_group = std::string(group);
  error.details_kind = std::string(kind);
  error.causes = std::move(causes);
  return error;
}

ApiError invalid(const ResourceType& type, std::string_view name, std::vector<StatusCause> causes) {
  return invalid(type.kind, type.group, name, std::move(causes));
}

ApiError bad_request(const std::string& message) { return {400, "BadRequest", message}; }

ApiError unauthorized() { return {401, "Unauthorized", "Unauthorized"}; }

ApiError forbidden(const ResourceType& type, std::string_view resource, std::string_view name,
                   std::string_view user, std::string_view verb, std::string_view ns) {
  // `pods "x" is forbidden: User "u" cannot patch resource "pods" in API group "" in the
  // namespace "default"` (or `at the cluster scope`).
  std::string message = type.qualified_plural();
  if (!name.empty()) {
    message += " \"" + std::string(name) + "\"";
  }
  message += " is forbidden: User \"" + std::string(user) + "\" cannot " + std::string(verb) +
             " resource \"" + std::string(resource) + "\" in API group \"" + type.group + "\" " +
             (ns.empty() ? std::string("at the cluster scope")
                         : "in the namespace \"" + std::string(ns) + "\"");
  ApiError error(403, "Forbidden", message);
  error.details_name = std::string(name);
  error.details_group = type.group;
  error.details_kind = type.plural;
  return error;
}

ApiError forbidden_path(std::string_view user, std::string_view verb, std::string_view path) {
  return {403, "Forbidden",
          "forbidden: User \"" + std::string(user) + "\" cannot " + std::string(verb) + " path \"" +
              std::string(path) + "\""};
}

ApiError expired(const std::string& message) { return {410, "Expired", message}; }

ApiError method_not_allowed() {
  return {405, "MethodNotAllowed",
          "the server does not allow this method on the requested resource"};
}

ApiError path_not_found() {
  return {404, "NotFound", "the server could not find the requested resource"};
}

ApiError unsupported_media_type(std::string_view content_type) {
  return {415, "UnsupportedMediaType",
          "the body of the request was in an unknown format - accepted media types "
          "include: application/json-patch+json, application/merge-patch+json, "
          "application/strategic-merge-patch+json (got \"" +
              std::string(content_type) + "\")"};
}

ApiError not_acceptable() {
  return {406, "NotAcceptable", "only the following media types are accepted: application/json"};
}

ApiError too_large_resource_version(unsigned long long requested, unsigned long long current) {
  // The watch cache's errors.NewTooLargeResourceVersionError: 504 with a cause clients detect.
  ApiError error(504, "Timeout",
                 "Too large resource version: " + std::to_string(requested) +
                     ", current: " + std::to_string(current));
  error.causes.push_back({"ResourceVersionTooLarge", "Too large resource version", ""});
  error.retry_after_seconds = 1;
  return error;
}

ApiError request_entity_too_large() {
  return {413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728"};
}

ApiError generic_error(int code) {
  // errors.NewGenericServerResponse's code -> reason table.
  switch (code) {
    case 400:
      return {code, "BadRequest", "the server rejected our request for an unknown reason"};
    case 401:
      return unauthorized();
    case 403:
      return {code, "Forbidden", "forbidden (injected fault)"};
    case 404:
      return path_not_found();
    case 409:
      return {code, "Conflict", "the server reported a conflict (injected fault)"};
    case 410:
      return expired("the server has expired this resource (injected fault)");
    case 429: {
      ApiError error(code, "TooManyRequests",
                     "the server has received too many requests and has asked us to try again "
                     "later");
      error.retry_after_seconds = 1;
      return error;
    }
    case 500:
      return {code, "InternalError",
              "an error on the server (\"injected fault\") has prevented the request "
              "from succeeding"};
    case 503:
      return {code, "ServiceUnavailable", "the server is currently unable to handle the request"};
    case 504:
      return {code, "Timeout",
              "the server was unable to return a response in the time allotted, but may "
              "still be processing the request"};
    default:
      return {code, "", "injected fault with HTTP status " + std::to_string(code)};
  }
}

}  // namespace kr::apiserver_lite
