// Listening sockets inside another network namespace (--listen-netns NAME:ADDR:PORT).
//
// A socket belongs to the namespace it was created in, for life. So a short-lived helper thread
// enters /var/run/netns/NAME with setns(2) (which only affects the calling thread), creates,
// binds and listens, and hands the descriptor back; the server then accepts on it from its own
// thread while staying in the host namespace.
#pragma once

#include <cstdint>
#include <string>

namespace kr::apiserver_lite {

// Returns a listening TCP socket (non-blocking, close-on-exec). Throws std::runtime_error naming
// the namespace and address on failure.
int listen_in_netns(const std::string& netns, const std::string& address, uint16_t port);

}  // namespace kr::apiserver_lite
