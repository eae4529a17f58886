// A minimal OpenAPI v3 surface: enough for kubectl to learn that the server validates fields
// itself (the fieldValidation query parameter on each kind's PATCH path), so that
// `kubectl create -f` and friends send fieldValidation=Strict instead of refusing to run
// without a schema. No object schemas are served: kubectl explain and client-side apply
// schemas are out of scope, and the server does not enforce fieldValidation.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kr::apiserver_lite {

// GET /openapi/v3: {"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=..."}}}
std::string openapi_v3_root_json();
// GET /openapi/v3/api/v1 or /openapi/v3/apis/<group>/<version>; nullopt when not served.
std::optional<std::string> openapi_v3_group_version_json(std::string_view group_version_path);

}  // namespace kr::apiserver_lite
