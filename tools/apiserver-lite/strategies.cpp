#include "strategies.h"

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

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

// Namespaces carry the immutable label kubernetes.io/metadata.name=<name> (since 1.21).
void label_namespace(json::object& object) {
  json::object& metadata = mutable_metadata(object);
  member_object(metadata, "labels")["kubernetes.io/metadata.name"] = meta_string(object, "name");
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

void prepare_for_update(const ResourceType& type, json::object& object) {
  if (type.kind == "Namespace") {
    label_namespace(object);
  }
}

}  // namespace kr::apiserver_lite
