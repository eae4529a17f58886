#include "registry.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "api_error.h"
#include "label_selector.h"
#include "merge_keys.h"
#include "object_meta.h"
#include "patch.h"
#include "strategies.h"

namespace kr::apiserver_lite {
namespace json = boost::json;

namespace {

const ResourceType& namespace_type() { return *find_resource("", "v1", "namespaces"); }

json::value parse_json(std::string_view body, std::string_view what) {
  boost::system::error_code ec;
  json::value value = json::parse(body, ec);
  if (ec) {
    throw bad_request("the " + std::string(what) +
                      " could not be decoded as JSON: " + ec.message());
  }
  return value;
}

// TypeMeta: absent fields default from the URL; present ones must agree with it.
void check_type_meta(const ResourceType& type, json::object& object) {
  if (const json::value* v = object.if_contains("apiVersion"); v != nullptr && *v != "") {
    if (!v->is_string() || v->get_string() != type.api_version()) {
      throw bad_request("the API version in the data (" + json::serialize(*v) +
                        ") does not match the expected API version (" + type.api_version() + ")");
    }
  }
  if (const json::value* v = object.if_contains("kind"); v != nullptr && *v != "") {
    if (!v->is_string() || v->get_string() != type.kind) {
      throw bad_request("the kind in the data (" + json::serialize(*v) +
                        ") does not match the expected kind (" + type.kind + ")");
    }
  }
  object["apiVersion"] = type.api_version();
  object["kind"] = type.kind;
  if (const json::value* v = object.if_contains("metadata"); v != nullptr && !v->is_object()) {
    throw bad_request("metadata must be an object");
  }
}

json::object parse_object(const ResourceType& type, std::string_view body) {
  json::value value = parse_json(body, "body of the request");
  if (!value.is_object()) {
    throw bad_request("the body of the request must be a JSON object");
  }
  check_type_meta(type, value.get_object());
  return std::move(value.get_object());
}

// Labels must be a map of valid keys to valid values; annotations a map of strings.
void validate_metadata(const ResourceType& type, const json::object& object) {
  const std::string name = meta_string(object, "name");
  std::vector<StatusCause> causes;
  if (std::string err = validate_object_name(type, name); !err.empty()) {
    causes.push_back(
        {"FieldValueInvalid", "Invalid value: \"" + name + "\": " + err, "metadata.name"});
  }
  const json::object& metadata = object.at("metadata").get_object();
  for (const char* member : {"labels", "annotations"}) {
    const json::value* map = metadata.if_contains(member);
    if (map == nullptr || map->is_null()) {
      continue;
    }
    if (!map->is_object()) {
      throw bad_request(std::string("metadata.") + member + " must be a map of strings");
    }
    for (const auto& [key, value] : map->get_object()) {
      if (!value.is_string()) {
        throw bad_request(std::string("metadata.") + member + "[" + std::string(key) +
                          "] must be a string");
      }
      const std::string field = std::string("metadata.") + member;
      if (std::string err = validate_label_key(key); !err.empty()) {
        causes.push_back(
            {"FieldValueInvalid", "Invalid value: \"" + std::string(key) + "\": " + err, field});
      }
      if (std::string_view(member) == "labels") {
        if (std::string err = validate_label_value(value.get_string()); !err.empty()) {
          causes.push_back({"FieldValueInvalid",
                            "Invalid value: \"" + std::string(value.get_string()) + "\": " + err,
                            field});
        }
      }
    }
  }
  if (!causes.empty()) {
    throw invalid(type, name, std::move(causes));
  }
}

// The URL decides the namespace; a different one in the body is an error, an empty one is
// filled in. Cluster-scoped objects never carry one.
void reconcile_namespace(const ResourceType& type, json::object& object, std::string_view ns) {
  json::object& metadata = mutable_metadata(object);
  if (!type.namespaced) {
    metadata.erase("namespace");
    return;
  }
  const std::string body_ns = meta_string(object, "namespace");
  if (!body_ns.empty() && body_ns != ns) {
    throw bad_request(
        "the namespace of the provided object does not match the namespace sent on the request");
  }
  metadata["namespace"] = ns;
}

const json::value* member(const json::object& object, std::string_view name) {
  return object.if_contains(name);
}

bool same_member(const json::object& a, const json::object& b, std::string_view name) {
  const json::value* x = member(a, name);
  const json::value* y = member(b, name);
  return (x == nullptr && y == nullptr) || (x != nullptr && y != nullptr && *x == *y);
}

bool has_finalizers(const json::object& object) {
  const json::value* finalizers = member(object.at("metadata").get_object(), "finalizers");
  return finalizers != nullptr && finalizers->is_array() && !finalizers->get_array().empty();
}

}  // namespace

void Registry::bootstrap() {
  for (const char* name : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    create(namespace_type(), "", std::string(R"({"metadata":{"name":")") + name + R"("}})", false);
  }
}

ObjectPtr Registry::get(const ResourceType& type, std::string_view ns,
                        std::string_view name) const {
  ObjectPtr object = store_.get(type, object_key(type, ns, name));
  if (!object) {
    throw not_found(type, name);
  }
  return object;
}

WriteResult Registry::create(const ResourceType& type, std::string_view ns, std::string_view body,
                             bool dry_run) {
  return create_object(type, ns, parse_object(type, body), dry_run);
}

WriteResult Registry::create_object(const ResourceType& type, std::string_view ns,
                                    json::object object, bool dry_run) {
  reconcile_namespace(type, object, ns);
  json::object& metadata = mutable_metadata(object);
  if (!meta_string(object, "resourceVersion").empty()) {
    // The etcd3 store's refusal, surfaced by kube-apiserver as an internal error.
    throw ApiError(500, "InternalError",
                   "resourceVersion should not be set on objects to be created");
  }
  std::string name = meta_string(object, "name");
  if (name.empty()) {
    const std::string prefix = meta_string(object, "generateName");
    if (prefix.empty()) {
      throw invalid(type, "",
                    {{"FieldValueRequired", "Required value: name or generateName is required",
                      "metadata.name"}});
    }
    name = generate_name(prefix);
    metadata["name"] = name;
  }
  validate_metadata(type, object);
  if (type.namespaced && !store_.get(namespace_type(), std::string(ns))) {
    throw not_found(namespace_type(), ns);
  }
  metadata["uid"] = new_uid();
  metadata["creationTimestamp"] = now_rfc3339();
  metadata.erase("deletionTimestamp");
  metadata.erase("deletionGracePeriodSeconds");
  metadata.erase("selfLink");
  if (type.generation_fields.empty()) {
    metadata.erase("generation");
  } else {
    metadata["generation"] = 1;
  }
  prepare_for_create(type, object);
  if (type.kind == "Service") {
    services_.prepare(object, nullptr);
  }
  const std::string key = object_key(type, ns, name);
  if (store_.get(type, key)) {
    throw already_exists(type, name);
  }
  if (dry_run) {
    return {std::make_shared<const json::object>(std::move(object)), 201};
  }
  return {store_.put(type, key, std::move(object)), 201};
}

WriteResult Registry::update(const ResourceType& type, std::string_view ns, std::string_view name,
                             std::string_view body, bool status, bool dry_run) {
  return update_object(type, ns, name, parse_object(type, body), status, dry_run);
}

WriteResult Registry::patch(const ResourceType& type, std::string_view ns, std::string_view name,
                            PatchType patch_type, std::string_view body, bool status,
                            bool dry_run) {
  const ObjectPtr existing = get(type, ns, name);
  const json::value patch = parse_json(body, "patch");
  json::value patched;
  try {
    switch (patch_type) {
      case PatchType::kMerge:
        patched = merge_patch(*existing, patch);
        break;
      case PatchType::kStrategic:
        patched = strategic_merge_patch(*existing, patch, type.kind, list_merge_key);
        break;
      case PatchType::kJson:
        patched = json_patch(*existing, patch);
        break;
    }
  } catch (const PatchError& e) {
    // The handler's response to a patch that does not apply (apiserver patch.go).
    throw ApiError(422, "Invalid", e.what());
  }
  if (!patched.is_object()) {
    throw ApiError(422, "Invalid", "the patch must leave a JSON object");
  }
  check_type_meta(type, patched.get_object());
  return update_object(type, ns, name, std::move(patched.get_object()), status, dry_run);
}

WriteResult Registry::update_object(const ResourceType& type, std::string_view ns,
                                    std::string_view name, json::object object, bool status,
                                    bool dry_run) {
  if (meta_string(object, "name") != name) {
    throw bad_request("the name of the object (" + meta_string(object, "name") +
                      ") does not match the name on the URL (" + std::string(name) + ")");
  }
  reconcile_namespace(type, object, ns);
  const std::string key = object_key(type, ns, name);
  const ObjectPtr existing = store_.get(type, key);
  if (!existing) {
    if (status || !type.allow_create_on_update) {
      throw not_found(type, name);
    }
    mutable_metadata(object).erase("resourceVersion");
    return create_object(type, ns, std::move(object), dry_run);
  }
  // Preconditions: metadata.resourceVersion (optimistic concurrency) and metadata.uid.
  const std::string rv = meta_string(object, "resourceVersion");
  if (!rv.empty() && rv != meta_string(*existing, "resourceVersion")) {
    throw stale_conflict(type, name);
  }
  const std::string uid = meta_string(object, "uid");
  if (!uid.empty() && uid != meta_string(*existing, "uid")) {
    throw conflict(type, name,
                   "Precondition failed: UID in precondition: " + meta_string(*existing, "uid") +
                       ", UID in object meta: " + uid);
  }

  json::object updated;
  if (status) {
    // The status strategy keeps everything but .status (metav1.ResetObjectMetaForStatus).
    updated = *existing;
    if (const json::value* new_status = object.if_contains("status")) {
      updated["status"] = *new_status;
    } else {
      updated.erase("status");
    }
  } else {
    updated = std::move(object);
    json::object& metadata = mutable_metadata(updated);
    const json::object& old_metadata = existing->at("metadata").get_object();
    for (const char* system : {"uid", "creationTimestamp", "deletionTimestamp",
                               "deletionGracePeriodSeconds", "generation"}) {
      if (const json::value* v = old_metadata.if_contains(system)) {
        metadata[system] = *v;
      } else {
        metadata.erase(system);
      }
    }
    if (type.has_status) {
      // The main resource ignores status changes when a status subresource exists.
      if (const json::value* old_status = existing->if_contains("status")) {
        updated["status"] = *old_status;
      } else {
        updated.erase("status");
      }
    }
    validate_metadata(type, updated);
    prepare_for_update(type, updated);
    if (type.kind == "Service") {
      services_.prepare(updated, existing.get());
    }
    if (!type.generation_fields.empty()) {
      bool changed = false;
      for (const auto& field : type.generation_fields) {
        changed = changed || !same_member(updated, *existing, field);
      }
      const json::value* generation = old_metadata.if_contains("generation");
      const int64_t old_generation =
          generation != nullptr && generation->is_int64() ? generation->get_int64() : 1;
      metadata["generation"] = changed ? old_generation + 1 : old_generation;
    }
  }
  return store_update(type, key, std::move(updated), existing, dry_run);
}

WriteResult Registry::store_update(const ResourceType& type, const std::string& key,
                                   json::object object, const ObjectPtr& existing, bool dry_run) {
  // The last finalizer of an object being deleted is gone: the deletion completes now.
  if (!meta_string(object, "deletionTimestamp").empty() && !has_finalizers(object)) {
    if (dry_run) {
      return {std::make_shared<const json::object>(std::move(object)), 200};
    }
    store_.put(type, key, std::move(object));
    return {store_.remove(type, key), 200};
  }
  // A write that changes nothing keeps the revision and sends no watch event, as etcd's
  // GuaranteedUpdate short-circuits identical bytes.
  mutable_metadata(object)["resourceVersion"] = meta_string(*existing, "resourceVersion");
  if (object == *existing) {
    return {existing, 200};
  }
  if (dry_run) {
    return {std::make_shared<const json::object>(std::move(object)), 200};
  }
  return {store_.put(type, key, std::move(object)), 200};
}

WriteResult Registry::remove(const ResourceType& type, std::string_view ns, std::string_view name,
                             std::string_view body, bool dry_run) {
  const ObjectPtr existing = get(type, ns, name);
  if (body.find_first_not_of(" \t\r\n") != std::string_view::npos) {
    const json::value options = parse_json(body, "DeleteOptions");
    const json::value* preconditions =
        options.is_object() ? options.get_object().if_contains("preconditions") : nullptr;
    if (preconditions != nullptr && preconditions->is_object()) {
      for (const char* field : {"uid", "resourceVersion"}) {
        const json::value* want = preconditions->get_object().if_contains(field);
        if (want != nullptr && want->is_string() &&
            want->get_string() != meta_string(*existing, field)) {
          const std::string label = std::string_view(field) == "uid" ? "UID" : "ResourceVersion";
          // Throws, so runs once.
          // NOLINTBEGIN(performance-inefficient-string-concatenation)
          throw conflict(type, name,
                         "Precondition failed: " + label +
                             " in precondition: " + std::string(want->get_string()) + ", " + label +
                             " in object meta: " + meta_string(*existing, field));
          // NOLINTEND(performance-inefficient-string-concatenation)
        }
      }
    }
  }
  if (&type == &namespace_type() &&
      (name == "default" || name == "kube-system" || name == "kube-public")) {
    ApiError error(
        403, "Forbidden",
        "namespaces \"" + std::string(name) + "\" is forbidden: this namespace may not be deleted");
    error.details_name = std::string(name);
    error.details_kind = "namespaces";
    throw error;  // NOLINT(misc-throw-by-value-catch-by-reference): named to set the details first
  }
  const std::string key = object_key(type, ns, name);
  if (has_finalizers(*existing)) {
    // Deletion waits for the finalizers' owners to remove them (202 Accepted, as upstream).
    if (!meta_string(*existing, "deletionTimestamp").empty() || dry_run) {
      return {existing, 202};
    }
    json::object marked = *existing;
    json::object& metadata = mutable_metadata(marked);
    metadata["deletionTimestamp"] = now_rfc3339();
    metadata["deletionGracePeriodSeconds"] = 0;
    return {store_.put(type, key, std::move(marked)), 202};
  }
  if (dry_run) {
    return {existing, 200};
  }
  if (&type == &namespace_type()) {
    // The namespace controller's job, done at once: real namespaces pass through Terminating.
    remove_namespace_contents(name);
  }
  store_.remove(type, key);
  return {existing, 200};
}

void Registry::remove_namespace_contents(std::string_view ns) {
  for (const auto& type : all_resource_types()) {
    if (!type.namespaced) {
      continue;
    }
    for (const auto& [key, object] : store_.snapshot(type, std::string(ns) + "/", 0)) {
      store_.remove(type, key);
    }
  }
}

}  // namespace kr::apiserver_lite
