// The speaker's local admin protocol, spoken over a unix stream socket (the
// equivalent of upstream's GoBGP gRPC API for `gobgp neighbor` and `gobgp
// global rib`, bgp-wire.md §15). One JSON object per line each way, one
// request per connection:
//
//   {"command":"neighbors"}                       → {"neighbors":[{...}, ...]}
//   {"command":"rib","family":"ipv4-unicast"}     → {"family":...,"routes":[...]}
//   {"command":"summary"}                         → {"families":{"ipv4-unicast":
//                                                       {"destinations":N}, ...}}
//   anything else                                 → {"error":"..."}
//
// Field names are documented in docs/bgp.md.
#pragma once

#include <string>
#include <string_view>

namespace kr::bgp::speaker {
class Speaker;
}

namespace kr::bgp::admin {

// Where kube-router's speaker listens unless configured otherwise.
inline constexpr const char* kDefaultSocketPath = "/var/run/kube-router/bgp.sock";

// Requests are small; anything longer is not a request.
inline constexpr std::size_t kMaxRequestSize = 4096;

// Answers one request line. Never throws: malformed requests get an
// {"error": ...} response.
std::string handle_request(speaker::Speaker& speaker, std::string_view request);

}  // namespace kr::bgp::admin
