// Discovery documents (legacy, unaggregated form) built from the served resource types:
// /version, /api, /api/v1, /apis, /apis/<group>, /apis/<group>/<version>. Clients that ask for
// aggregated discovery (apidiscovery.k8s.io/v2) get these instead and fall back, as they do
// against servers older than 1.26.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kr::apiserver_lite {

std::string version_json();
// `server_address` is the host:port the client connected to (serverAddressByClientCIDRs).
std::string api_versions_json(std::string_view server_address);
std::string api_group_list_json();
// nullopt when the group (or group/version) is not served.
std::optional<std::string> api_group_json(std::string_view group);
std::optional<std::string> api_resource_list_json(std::string_view group, std::string_view version);

}  // namespace kr::apiserver_lite
