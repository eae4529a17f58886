#include "strategies.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "api_error.h"
#include "object_meta.h"

namespace kr::apiserver_lite {
namespace json = boost::json;

namespace {

json::object& member_object(json::object& parent, std::string_view name) {
  json::value& v = parent[name];
  if (!v.is_object()) {
    v = json::object();
  }
  return v.get_object();
}

const json::value* find_path(const json::object& object, std::string_view a, std::string_view b) {
  const json::value* first = object.if_contains(a);
  return first != nullptr && first->is_object() ? first->get_object().if_contains(b) : nullptr;
}

// Namespaces carry the immutable label kubernetes.io/metadata.name=<name> (since 1.21).
void label_namespace(json::object& object) {
  json::object& metadata = mutable_metadata(object);
  member_object(metadata, "labels")["kubernetes.io/metadata.name"] = meta_string(object, "name");
}

// spec.clusterIP is immutable once set; an update that leaves it empty keeps the old value, as
// the service REST storage patches allocated values back in.
void keep_cluster_ip(json::object& object, const json::object& old) {
  const json::value* old_ip = find_path(old, "spec", "clusterIP");
  if (old_ip == nullptr || !old_ip->is_string() || old_ip->get_string().empty()) {
    return;
  }
  json::object& spec = member_object(object, "spec");
  const json::value* new_ip = spec.if_contains("clusterIP");
  if (new_ip == nullptr || (new_ip->is_string() && new_ip->get_string().empty())) {
    spec["clusterIP"] = *old_ip;
    if (const json::value* ips = find_path(old, "spec", "clusterIPs")) {
      spec["clusterIPs"] = *ips;
    }
    return;
  }
  if (*new_ip != *old_ip) {
    throw invalid("Service", "", meta_string(object, "name"),
                  {{"FieldValueInvalid",
                    "Invalid value: " + json::serialize(*new_ip) + ": field is immutable",
                    "spec.clusterIPs[0]"}});
  }
}

}  // namespace

void prepare_for_create(const ResourceType& type, json::object& object) {
  if (type.kind == "Pod") {
    // podStrategy.PrepareForCreate: status starts over as Pending; the kubelet reports the rest
    // through pods/status.
    json::object status;
    status["phase"] = "Pending";
    object["status"] = std::move(status);
  } else if (type.kind == "Service") {
    json::object status;
    status["loadBalancer"] = json::object();
    object["status"] = std::move(status);
  } else if (type.kind == "Namespace") {
    json::object status;
    status["phase"] = "Active";
    object["status"] = std::move(status);
    json::object& spec = member_object(object, "spec");
    if (!spec.contains("finalizers")) {
      spec["finalizers"] = json::array{"kubernetes"};
    }
    label_namespace(object);
  }
}

void prepare_for_update(const ResourceType& type, json::object& object, const json::object& old) {
  if (type.kind == "Namespace") {
    label_namespace(object);
  } else if (type.kind == "Service") {
    keep_cluster_ip(object, old);
  }
}

}  // namespace kr::apiserver_lite
