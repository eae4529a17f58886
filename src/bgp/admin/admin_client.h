// Client side of the admin protocol: one request, one response line.
#pragma once

#include <optional>
#include <string>

namespace kr::bgp::admin {

struct AdminReply {
  std::string body;   // the response line without its newline
  std::string error;  // set when the speaker could not be asked
};

// Connects to the socket at `path`, sends `request` (a JSON object without
// newline) and reads the response, waiting at most `timeout_ms` for it.
AdminReply admin_request(const std::string& path, const std::string& request,
                         int timeout_ms = 30000);

}  // namespace kr::bgp::admin
