#include "router.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <charconv>
#include <map>

#include "api_error.h"
#include "base/log.h"
#include "discovery.h"
#include "lister.h"
#include "object_meta.h"
#include "openapi.h"

namespace kr::apiserver_lite {
namespace json = boost::json;

namespace {

struct Target {
  std::vector<std::string> segments;  // percent-decoded
  std::map<std::string, std::string> params;
};

Target parse_target(std::string_view target) {
  const auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) {
    throw bad_request("malformed request target");
  }
  Target out;
  for (const auto& segment : parsed->segments()) {
    out.segments.emplace_back(segment);
  }
  // A trailing slash leaves an empty segment; the API server treats /api/v1/pods/ as /pods.
  while (!out.segments.empty() && out.segments.back().empty()) {
    out.segments.pop_back();
  }
  boost::urls::encoding_opts opts;
  opts.space_as_plus = true;  // Go's url.ParseQuery decodes '+' as a space
  for (const auto& param : parsed->params(opts)) {
    out.params.emplace(param.key, param.value);  // first value wins, as url.Values.Get
  }
  return out;
}

// The resource a path names: /api/v1[/namespaces/NS]/PLURAL[/NAME[/status]] and the same under
// /apis/GROUP/VERSION. Namespaces themselves are /api/v1/namespaces/NAME[/status].
struct ResourcePath {
  const ResourceType* type = nullptr;
  std::string ns;
  std::string name;
  bool status = false;
};

std::optional<ResourcePath> resolve(std::string_view group, std::string_view version,
                                    std::vector<std::string> rest) {
  ResourcePath path;
  if (rest.size() >= 3 && rest[0] == "namespaces" && rest[2] != "status") {
    path.ns = rest[1];
    rest.erase(rest.begin(), rest.begin() + 2);
  }
  if (rest.empty() || rest.size() > 3) {
    return std::nullopt;
  }
  path.type = find_resource(group, version, rest[0]);
  if (path.type == nullptr) {
    return std::nullopt;
  }
  if (rest.size() >= 2) {
    path.name = rest[1];
  }
  if (rest.size() == 3) {
    if (rest[2] != "status" || !path.type->has_status) {
      return std::nullopt;
    }
    path.status = true;
  }
  // A namespaced type needs its namespace to name one object; a cluster type never has one.
  if ((path.type->namespaced && !path.name.empty() && path.ns.empty()) ||
      (!path.type->namespaced && !path.ns.empty())) {
    return std::nullopt;
  }
  return path;
}

std::string media_type(std::string_view header) {
  std::string_view type = header.substr(0, header.find(';'));
  while (!type.empty() && type.back() == ' ') {
    type.remove_suffix(1);
  }
  return std::string(type);
}

// Clients may ask for JSON, anything, or (like kubectl) a Table with JSON as the fallback. A
// client accepting only protobuf or YAML gets 406.
void check_accept(std::string_view accept) {
  if (accept.empty() || accept.find("json") != std::string_view::npos ||
      accept.find("*/*") != std::string_view::npos) {
    return;
  }
  throw not_acceptable();
}

Response json_response(int status, std::string body) {
  return {status, std::move(body), "application/json", {}};
}

Response object_response(const WriteResult& result) {
  return json_response(result.http_status, json::serialize(*result.object));
}

std::string verb_for(std::string_view method, bool collection, bool watch) {
  if (method == "GET") {
    return watch ? "watch" : collection ? "list" : "get";
  }
  if (method == "POST") {
    return "create";
  }
  if (method == "PUT") {
    return "update";
  }
  if (method == "PATCH") {
    return "patch";
  }
  if (method == "DELETE") {
    return collection ? "deletecollection" : "delete";
  }
  return "";
}

std::optional<int64_t> int_param(const Target& target, const char* name) {
  const auto it = target.params.find(name);
  if (it == target.params.end()) {
    return std::nullopt;
  }
  int64_t value = 0;
  const auto [ptr, ec] =
      std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
  if (ec != std::errc() || ptr != it->second.data() + it->second.size()) {
    throw bad_request(std::string("query parameter ") + name + " must be an integer");
  }
  return value;
}

}  // namespace

Response error_response(const ApiError& error) {
  Response response = json_response(error.code, status_json(error));
  if (error.retry_after_seconds > 0) {
    response.headers.emplace_back("Retry-After", std::to_string(error.retry_after_seconds));
  }
  return response;
}

bool Router::is_api_path(std::string_view target) {
  const std::string_view path = target.substr(0, target.find('?'));
  return path == "/api" || path == "/apis" || path.starts_with("/api/") ||
         path.starts_with("/apis/");
}

Outcome Router::handle(const Request& request, const UserInfo& user, bool read_only) {
  try {
    const Target target = parse_target(request.target);
    const auto& s = target.segments;
    if (!s.empty() && s[0] == "_lite") {
      return handle_lite(request, user, read_only);
    }
    const bool get = request.method == "GET";
    if (s.size() == 1 && (s[0] == "healthz" || s[0] == "livez" || s[0] == "readyz") && get) {
      return Response{200, "ok", "text/plain; charset=utf-8", {}};
    }
    if (s.size() == 1 && s[0] == "version" && get) {
      return json_response(200, version_json());
    }
    if (!s.empty() && s[0] == "openapi" && get && s.size() >= 2 && s[1] == "v3") {
      if (s.size() == 2) {
        return json_response(200, openapi_v3_root_json());
      }
      std::string gv;
      for (size_t i = 2; i < s.size(); ++i) {
        gv += (i > 2 ? "/" : "") + s[i];
      }
      if (auto doc = openapi_v3_group_version_json(gv)) {
        return json_response(200, *doc);
      }
      throw path_not_found();
    }
    std::string group;
    std::string version;
    std::vector<std::string> rest;
    if (!s.empty() && s[0] == "api") {
      if (s.size() == 1 && get) {
        return json_response(200, api_versions_json(request.host));
      }
      version = s.size() >= 2 ? s[1] : "";
      rest.assign(s.begin() + std::min<std::ptrdiff_t>(2, std::ssize(s)), s.end());
    } else if (!s.empty() && s[0] == "apis") {
      if (s.size() == 1 && get) {
        return json_response(200, api_group_list_json());
      }
      if (s.size() == 2 && get) {
        if (auto doc = api_group_json(s[1])) {
          return json_response(200, *doc);
        }
        throw path_not_found();
      }
      group = s.size() >= 2 ? s[1] : "";
      version = s.size() >= 3 ? s[2] : "";
      rest.assign(s.begin() + std::min<std::ptrdiff_t>(3, std::ssize(s)), s.end());
    } else {
      throw path_not_found();
    }
    if (rest.empty()) {
      auto doc = get ? api_resource_list_json(group, version) : std::nullopt;
      if (!doc) {
        throw path_not_found();
      }
      return json_response(200, *doc);
    }
    const auto path = resolve(group, version, rest);
    if (!path) {
      throw path_not_found();
    }
    const ResourceType& type = *path->type;
    const bool collection = path->name.empty();
    ListOptions options;
    if (get) {
      options = parse_list_options(target.params, type);
      if (!collection && options.watch) {
        // The deprecated per-object watch (GET .../pods/NAME?watch=1) is a watch on a name.
        std::string escaped;
        for (const char c : path->name) {
          if (c == '\\' || c == ',' || c == '=') {
            escaped += '\\';
          }
          escaped += c;
        }
        options.fields = FieldSelector::parse("metadata.name=" + escaped);
      }
    }
    check_accept(request.accept);
    const std::string verb = verb_for(request.method, collection, get && options.watch);
    if (verb.empty() || (path->status && (collection || verb == "delete")) ||
        (collection && (verb == "update" || verb == "patch")) ||
        (!collection && verb == "create") ||
        (collection && verb == "create" && type.namespaced && path->ns.empty())) {
      throw method_not_allowed();
    }
    if (read_only && verb != "get" && verb != "list" && verb != "watch") {
      throw forbidden(type, path->status ? type.plural + "/status" : type.plural, path->name,
                      user.name, verb, path->ns);
    }
    const bool dry_run = target.params.contains("dryRun");
    if (verb == "watch") {
      Selection selection{path->ns, options.labels, options.fields};
      WatchStream stream{hub_.start(type, std::move(selection), options), std::nullopt,
                         options.allow_bookmarks};
      if (options.timeout_seconds && *options.timeout_seconds > 0) {
        stream.timeout = std::chrono::seconds(*options.timeout_seconds);
      }
      return stream;
    }
    if (verb == "list") {
      return json_response(200, list_objects(store_, type, path->ns, options));
    }
    if (verb == "get") {
      return json_response(200, json::serialize(*registry_.get(type, path->ns, path->name)));
    }
    if (verb == "create") {
      if (media_type(request.content_type) != "application/json" && !request.content_type.empty()) {
        throw unsupported_media_type(request.content_type);
      }
      return object_response(registry_.create(type, path->ns, request.body, dry_run));
    }
    if (verb == "update") {
      if (media_type(request.content_type) != "application/json" && !request.content_type.empty()) {
        throw unsupported_media_type(request.content_type);
      }
      return object_response(
          registry_.update(type, path->ns, path->name, request.body, path->status, dry_run));
    }
    if (verb == "patch") {
      const std::string media = media_type(request.content_type);
      PatchType patch_type;
      if (media == "application/merge-patch+json") {
        patch_type = PatchType::kMerge;
      } else if (media == "application/json-patch+json") {
        patch_type = PatchType::kJson;
      } else if (media == "application/strategic-merge-patch+json") {
        patch_type = PatchType::kStrategic;
      } else {
        // Includes application/apply-patch+yaml: server-side apply is not implemented.
        throw unsupported_media_type(request.content_type);
      }
      return object_response(registry_.patch(type, path->ns, path->name, patch_type, request.body,
                                             path->status, dry_run));
    }
    if (verb == "delete") {
      return object_response(registry_.remove(type, path->ns, path->name, request.body, dry_run));
    }
    // deletecollection: every object the selectors pick, returned as a list.
    const ListOptions selection_options = parse_list_options(target.params, type);
    const Selection selection{path->ns, selection_options.labels, selection_options.fields};
    json::array deleted;
    for (const auto& [key, object] :
         store_.snapshot(type, path->ns.empty() ? "" : path->ns + "/", 0)) {
      if (selection.matches(*object)) {
        const WriteResult result =
            registry_.remove(type, meta_string(*object, "namespace"), meta_string(*object, "name"),
                             request.body, dry_run);
        deleted.push_back(*result.object);
      }
    }
    json::object list;
    list["kind"] = type.list_kind();
    list["apiVersion"] = type.api_version();
    list["metadata"] = json::object{{"resourceVersion", std::to_string(store_.current_rv())}};
    list["items"] = std::move(deleted);
    return json_response(200, json::serialize(list));
  } catch (const ApiError& error) {
    return error_response(error);
  } catch (const std::exception& e) {
    // A bug, not bad input: answer 500 like kube-apiserver's panic recovery and keep serving.
    KR_ERROR("{} {}: internal error: {}", request.method, request.target, e.what());
    return error_response(ApiError(500, "InternalError",
                                   std::string("an error on the server (\"") + e.what() +
                                       "\") has prevented the request from succeeding"));
  }
}

Response Router::handle_lite(const Request& request, const UserInfo& user, bool read_only) {
  const Target target = parse_target(request.target);
  const std::string& action = target.segments.size() == 2 ? target.segments[1] : "";
  if (action == "rv" && request.method == "GET") {
    json::object body;
    body["resourceVersion"] = std::to_string(store_.current_rv());
    body["compactedResourceVersion"] = std::to_string(store_.compacted_rv());
    return json_response(200, json::serialize(body));
  }
  if (!faults_enabled_ || target.segments.size() != 2 ||
      (action != "drop-watches" && action != "compact" && action != "fail" && action != "delay")) {
    throw path_not_found();
  }
  if (request.method != "POST") {
    throw method_not_allowed();
  }
  if (read_only) {
    throw forbidden_path(user.name, "post", request.target.substr(0, request.target.find('?')));
  }
  json::object body;
  if (action == "drop-watches") {
    body["dropped"] = hub_.open_watches();
    hub_.drop_all();
  } else if (action == "compact") {
    store_.compact();
    body["compactedResourceVersion"] = std::to_string(store_.compacted_rv());
  } else if (action == "fail") {
    const int64_t status = int_param(target, "status").value_or(503);
    const int64_t count = int_param(target, "count").value_or(1);
    if (status < 400 || status > 599 || count < 0) {
      throw bad_request("fail needs status in 400..599 and count >= 0");
    }
    faults_.fail_next(static_cast<int>(status), static_cast<int>(count));
    body["status"] = status;
    body["count"] = count;
  } else {
    const int64_t ms = int_param(target, "ms").value_or(0);
    const int64_t count = int_param(target, "count").value_or(1);
    if (ms < 0 || ms > 600000 || count < 0) {
      throw bad_request("delay needs ms in 0..600000 and count >= 0");
    }
    faults_.delay_next(std::chrono::milliseconds(ms), static_cast<int>(count));
    body["ms"] = ms;
    body["count"] = count;
  }
  return json_response(200, json::serialize(body));
}

}  // namespace kr::apiserver_lite
