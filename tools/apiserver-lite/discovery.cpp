#include "discovery.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <set>

#include "resource_types.h"

namespace kr::apiserver_lite {
namespace json = boost::json;

namespace {

// The version this server's semantics follow; kubectl also uses it to pick a compatible client.
constexpr const char* kMajor = "1";
constexpr const char* kMinor = "32";
constexpr const char* kGitVersion = "v1.32.0-apiserver-lite";

json::object group_version(std::string_view group, std::string_view version) {
  json::object gv;
  gv["groupVersion"] = std::string(group) + "/" + std::string(version);
  gv["version"] = version;
  return gv;
}

json::object api_group(std::string_view group) {
  json::object out;
  out["name"] = group;
  json::array versions;
  std::string version;
  for (const auto& type : all_resource_types()) {
    if (type.group == group && version.empty()) {
      version = type.version;
    }
  }
  versions.push_back(group_version(group, version));
  out["versions"] = std::move(versions);
  out["preferredVersion"] = group_version(group, version);
  return out;
}

std::set<std::string> served_groups() {
  std::set<std::string> groups;
  for (const auto& type : all_resource_types()) {
    if (!type.group.empty()) {
      groups.insert(type.group);
    }
  }
  return groups;
}

json::array strings(const std::vector<std::string>& values) {
  json::array out;
  for (const auto& v : values) {
    out.push_back(json::string(v));
  }
  return out;
}

}  // namespace

std::string version_json() {
  json::object out;
  out["major"] = kMajor;
  out["minor"] = kMinor;
  out["gitVersion"] = kGitVersion;
  out["gitCommit"] = "0000000000000000000000000000000000000000";
  out["gitTreeState"] = "clean";
  out["buildDate"] = "2024-12-11T00:00:00Z";
  out["goVersion"] = "go1.23.4";
  out["compiler"] = "gc";
  out["platform"] = "linux/amd64";
  return json::serialize(out);
}

std::string api_versions_json(std::string_view server_address) {
  json::object cidr;
  cidr["clientCIDR"] = "0.0.0.0/0";
  cidr["serverAddress"] = server_address;
  json::object out;
  out["kind"] = "APIVersions";
  out["versions"] = json::array{"v1"};
  out["serverAddressByClientCIDRs"] = json::array{cidr};
  return json::serialize(out);
}

std::string api_group_list_json() {
  json::array groups;
  for (const auto& group : served_groups()) {
    groups.push_back(api_group(group));
  }
  json::object out;
  out["kind"] = "APIGroupList";
  out["apiVersion"] = "v1";
  out["groups"] = std::move(groups);
  return json::serialize(out);
}

std::optional<std::string> api_group_json(std::string_view group) {
  if (!served_groups().contains(std::string(group))) {
    return std::nullopt;
  }
  json::object out = api_group(group);
  out["kind"] = "APIGroup";
  out["apiVersion"] = "v1";
  return json::serialize(out);
}

std::optional<std::string> api_resource_list_json(std::string_view group,
                                                  std::string_view version) {
  json::array resources;
  for (const auto& type : all_resource_types()) {
    if (type.group != group || type.version != version) {
      continue;
    }
    json::object resource;
    resource["name"] = type.plural;
    resource["singularName"] = type.singular;
    resource["namespaced"] = type.namespaced;
    resource["kind"] = type.kind;
    resource["verbs"] = json::array{"create", "delete", "deletecollection", "get",
                                    "list",   "patch",  "update",           "watch"};
    if (!type.short_names.empty()) {
      resource["shortNames"] = strings(type.short_names);
    }
    if (type.kind == "Pod" || type.kind == "Service") {
      resource["categories"] = json::array{"all"};  // `kubectl get all`
    }
    resources.push_back(std::move(resource));
    if (type.has_status) {
      json::object status;
      status["name"] = type.plural + "/status";
      status["singularName"] = "";
      status["namespaced"] = type.namespaced;
      status["kind"] = type.kind;
      status["verbs"] = json::array{"get", "patch", "update"};
      resources.push_back(std::move(status));
    }
  }
  if (resources.empty()) {
    return std::nullopt;
  }
  json::object out;
  out["kind"] = "APIResourceList";
  out["apiVersion"] = "v1";
  out["groupVersion"] =
      group.empty() ? std::string(version) : std::string(group) + "/" + std::string(version);
  out["resources"] = std::move(resources);
  return json::serialize(out);
}

}  // namespace kr::apiserver_lite
