// apiserver-lite's command line. Flags take `--flag=value` or `--flag value`; repeatable flags
// accumulate. Errors name the flag.
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace kr::apiserver_lite {

struct ListenAddress {
  std::string netns;  // "" for the server's own namespace
  std::string address;
  uint16_t port = 0;
};

struct Options {
  std::vector<ListenAddress> listen;  // --listen first, then --listen-netns, in flag order
  std::string port_file;
  std::string tls_cert_file;
  std::string tls_private_key_file;
  std::string client_ca_file;
  std::string token_auth_file;
  std::vector<std::string> readonly_users;
  std::chrono::milliseconds bookmark_interval{60000};
  size_t history_window = 10000;
  std::vector<std::string> service_cluster_ip_ranges = {"10.96.0.0/12"};  // one per IP family
  int node_port_min = 30000;
  int node_port_max = 32767;
  bool enable_faults = false;
  int verbosity = 0;
  bool help = false;
};

class OptionsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses argv[1..]. Throws OptionsError.
Options parse_options(int argc, const char* const* argv);
std::string usage();

// "1s", "500ms", "2m", "1m30s", "1h" (Go's time.ParseDuration units ms, s, m, h).
std::chrono::milliseconds parse_duration(const std::string& text);
// "ADDR:PORT" with ADDR an IPv4 literal or a bracketed IPv6 literal ("[::1]:0").
ListenAddress parse_listen_address(const std::string& text);

}  // namespace kr::apiserver_lite
