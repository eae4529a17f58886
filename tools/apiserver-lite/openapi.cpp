#include "openapi.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cstdint>
#include <cstdio>
#include <map>

#include "resource_types.h"

namespace kr::apiserver_lite {
namespace json = boost::json;

namespace {

std::string gv_path(const ResourceType& type) {
  return type.group.empty() ? "api/" + type.version : "apis/" + type.group + "/" + type.version;
}

// One path item whose operation carries x-kubernetes-group-version-kind and lists the
// fieldValidation query parameter, which is what kubectl's query-param verifier looks for
// (cli-runtime resource/query_param_verifier_v3.go).
json::object path_item(const ResourceType& type, const char* verb) {
  json::object gvk;
  gvk["group"] = type.group;
  gvk["version"] = type.version;
  gvk["kind"] = type.kind;
  json::object operation;
  operation["x-kubernetes-group-version-kind"] = std::move(gvk);
  operation["x-kubernetes-action"] = verb;
  operation["parameters"] = json::array{json::object{
      {"name", "fieldValidation"}, {"in", "query"}, {"schema", json::object{{"type", "string"}}}}};
  operation["responses"] = json::object{{"200", json::object{{"description", "OK"}}}};
  json::object item;
  item[verb] = std::move(operation);
  return item;
}

std::map<std::string, std::string> documents() {
  std::map<std::string, json::object> paths_by_gv;
  for (const auto& type : all_resource_types()) {
    const std::string prefix =
        "/" + gv_path(type) + (type.namespaced ? "/namespaces/{namespace}/" : "/") + type.plural;
    json::object& paths = paths_by_gv[gv_path(type)];
    paths[prefix] = path_item(type, "post");
    paths[prefix + "/{name}"] = path_item(type, "patch");
  }
  std::map<std::string, std::string> out;
  for (auto& [gv, paths] : paths_by_gv) {
    json::object doc;
    doc["openapi"] = "3.0.0";
    doc["info"] = json::object{{"title", "Kubernetes"}, {"version", "v1.32.0"}};
    doc["paths"] = std::move(paths);
    out[gv] = json::serialize(doc);
  }
  return out;
}

// FNV-1a: clients cache a document by its hash, so the hash must change with the content.
std::string content_hash(const std::string& text) {
  uint64_t hash = 1469598103934665603ULL;
  for (const unsigned char c : text) {
    hash = (hash ^ c) * 1099511628211ULL;
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llX", static_cast<unsigned long long>(hash));
  return out;
}

}  // namespace

std::string openapi_v3_root_json() {
  json::object paths;
  for (const auto& [gv, doc] : documents()) {
    paths[gv] =
        json::object{{"serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + content_hash(doc)}};
  }
  return json::serialize(json::object{{"paths", std::move(paths)}});
}

std::optional<std::string> openapi_v3_group_version_json(std::string_view group_version_path) {
  const auto docs = documents();
  const auto it = docs.find(std::string(group_version_path));
  if (it == docs.end()) {
    return std::nullopt;
  }
  return it->second;
}

}  // namespace kr::apiserver_lite
