// LIST: consistent snapshots at a resource version, selectors, and chunking with limit/continue
// (Kubernetes API concepts, "Retrieving large results sets in chunks" and "Resource versions").
#pragma once

#include <string>
#include <string_view>

#include "list_options.h"
#include "store.h"

namespace kr::apiserver_lite {

// Returns the serialised <Kind>List. Throws ApiError: 410 Expired for a compacted revision or
// continue token, 504 for a resourceVersion the store has not reached, 400 for a bad token.
std::string list_objects(const Store& store, const ResourceType& type, std::string_view ns,
                         const ListOptions& options);

}  // namespace kr::apiserver_lite
