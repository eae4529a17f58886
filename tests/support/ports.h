// Ports for servers started by tests. Tests never use fixed ports: a server
// binds port 0 and reports its port (apiserver-lite --port-file), or the test
// asks for a port that is free right now.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace kr::test {

// A TCP (or UDP) port on address that nothing is bound to at the moment of
// the call, chosen by the kernel. Throws std::system_error if address cannot
// be bound. Another process may take it before the caller does: prefer
// servers that bind port 0 themselves.
int free_tcp_port(const std::string& address = "127.0.0.1");
int free_udp_port(const std::string& address = "127.0.0.1");

// Waits until path holds a port number (a server writes it once it listens)
// and returns it; nullopt when the timeout passes first. The port is the
// first line (apiserver-lite --port-file puts its first listener's port there
// and details on later lines).
std::optional<int> wait_for_port_file(const std::filesystem::path& path,
                                      std::chrono::milliseconds timeout);

// The port number on the first line of text (trailing blanks allowed);
// nullopt unless it is a number in 1..65535.
std::optional<int> parse_port(const std::string& text);

// True when a TCP connection to address:port succeeds right now.
bool tcp_port_open(const std::string& address, int port);

}  // namespace kr::test
