// Base64 (RFC 4648): the standard alphabet with padding (kubeconfig *-data fields) and the
// unpadded URL-safe alphabet (Go's base64.RawURLEncoding, used for list continue tokens).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kr::apiserver_lite {

std::string base64_encode(std::string_view data);
std::string base64url_raw_encode(std::string_view data);
// Strict decoder for the unpadded URL-safe alphabet; nullopt on any invalid input.
std::optional<std::string> base64url_raw_decode(std::string_view text);

}  // namespace kr::apiserver_lite
