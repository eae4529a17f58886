// Object lifecycle with the real API's semantics: create/update/patch/delete, server-managed
// metadata (uid, creationTimestamp, generation, resourceVersion), optimistic concurrency,
// the status subresource, namespace existence and finalizers.
#pragma once

#include <string>
#include <string_view>

#include "service_network.h"
#include "store.h"

namespace kr::apiserver_lite {

enum class PatchType { kMerge, kJson, kStrategic };

struct WriteResult {
  ObjectPtr object;
  int http_status;  // 200, 201 (created) or 202 (deletion waits for finalizers)
};

class Registry {
 public:
  explicit Registry(Store& store, ServiceNetworkConfig services = ServiceNetworkConfig::defaults())
      : store_(store), services_(std::move(services), store) {}

  // Creates the namespaces every cluster starts with (default, kube-system, kube-public,
  // kube-node-lease).
  void bootstrap();

  // Every method throws ApiError for a request the real API would refuse. `ns` is the namespace
  // from the URL ("" for cluster-scoped types).
  ObjectPtr get(const ResourceType& type, std::string_view ns, std::string_view name) const;
  WriteResult create(const ResourceType& type, std::string_view ns, std::string_view body,
                     bool dry_run);
  // PUT. `status` selects the /status subresource.
  WriteResult update(const ResourceType& type, std::string_view ns, std::string_view name,
                     std::string_view body, bool status, bool dry_run);
  WriteResult patch(const ResourceType& type, std::string_view ns, std::string_view name,
                    PatchType patch_type, std::string_view body, bool status, bool dry_run);
  // `body` is an optional DeleteOptions (preconditions are honoured).
  WriteResult remove(const ResourceType& type, std::string_view ns, std::string_view name,
                     std::string_view body, bool dry_run);

 private:
  WriteResult create_object(const ResourceType& type, std::string_view ns,
                            boost::json::object object, bool dry_run);
  WriteResult update_object(const ResourceType& type, std::string_view ns, std::string_view name,
                            boost::json::object object, bool status, bool dry_run);
  WriteResult store_update(const ResourceType& type, const std::string& key,
                           boost::json::object object, const ObjectPtr& existing, bool dry_run);
  void remove_namespace_contents(std::string_view ns);

  Store& store_;
  ServiceNetwork services_;
};

}  // namespace kr::apiserver_lite
