// The parts of an API server URL the transport needs.
#pragma once

#include <string>
#include <string_view>

namespace kr::k8s {

struct ServerAddress {
  std::string host;       // without IPv6 brackets
  std::string port;       // defaults to 443
  std::string base_path;  // path prefix without trailing '/', usually ""
  bool host_is_ip = false;
};

// Parses an https URL. Throws ConfigError naming `what` on anything else.
ServerAddress parse_server_url(std::string_view url, std::string_view what);

}  // namespace kr::k8s
