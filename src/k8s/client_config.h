// How to reach and authenticate to the API server, from a kubeconfig file, from the in-cluster
// service account, or from --master plus one of those (flags.md §3.1 step 7).
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace kr::k8s {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ClientConfig {
  std::string server;           // https://host[:port][/path-prefix]
  std::string tls_server_name;  // name checked against the certificate instead of the host
  bool insecure_skip_tls_verify = false;
  std::string ca_pem;  // trusted roots; empty means the system trust store
  std::string client_cert_pem;
  std::string client_key_pem;
  std::string token;       // static bearer token
  std::string token_file;  // bearer token file, re-read when it changes; wins over `token`
  std::string origin;      // where this came from, for error messages ("kubeconfig /x/config")
};

// Parses a kubeconfig and resolves its current context. Relative file paths are resolved
// against the kubeconfig's directory; referenced files are read now. Errors name the file and
// the reason.
ClientConfig load_kubeconfig(const std::filesystem::path& path);
ClientConfig parse_kubeconfig(std::string_view yaml, const std::filesystem::path& base_dir,
                              std::string_view origin);

// The in-cluster environment: KUBERNETES_SERVICE_HOST/PORT and the service account directory
// (injectable so tests can use a fake one).
struct InClusterEnv {
  std::string host;
  std::string port;
  std::filesystem::path service_account_dir = "/var/run/secrets/kubernetes.io/serviceaccount";

  static InClusterEnv from_process();
};

// Pure in-cluster configuration (client-go's rest.InClusterConfig).
ClientConfig load_in_cluster(const InClusterEnv& env);

// The three startup modes: --kubeconfig (with --master overriding its server); else --master
// with the in-cluster service account's token and CA; else pure in-cluster.
ClientConfig build_client_config(const std::string& kubeconfig, const std::string& master,
                                 const InClusterEnv& env);

// Checks that `server` is an https URL with a host (a bare host[:port] gets https://).
// Returns the normalised URL or throws ConfigError naming `what`.
std::string normalise_server_url(std::string_view server, std::string_view what);

}  // namespace kr::k8s
