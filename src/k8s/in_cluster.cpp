// In-cluster configuration and the choice between the three startup modes.
#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/errno_text.h"
#include "base/log.h"
#include "k8s/client_config.h"
#include "k8s/server_url.h"
#include "k8s/tls_material.h"

namespace kr::k8s {
namespace {

std::string env(const char* name) {
  // Read in main() while building the client config, before any thread starts; the daemon
  // never calls setenv.
  const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe)
  return v == nullptr ? std::string() : std::string(v);
}

bool read_file(const std::filesystem::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return false;
  }
  std::ostringstream data;
  data << in.rdbuf();
  out = data.str();
  return true;
}

// The service account's token (as a rotating token file) and CA, for modes 2 and 3.
void use_service_account(const InClusterEnv& env, ClientConfig& config) {
  const std::filesystem::path token = env.service_account_dir / "token";
  std::string ignored;
  if (!read_file(token, ignored)) {
    throw ConfigError(fmt::format("{}: cannot read service account token {}: {}", config.origin,
                                  token.string(), kr::errno_text(errno)));
  }
  config.token_file = token.string();
  const std::filesystem::path ca = env.service_account_dir / "ca.crt";
  if (!read_file(ca, config.ca_pem)) {
    // As client-go: without the CA file the system trust store is used.
    KR_ERROR("Expected to load root CA config from {}, but got err: {}", ca.string(),
             kr::errno_text(errno));
    config.ca_pem.clear();
  }
  validate_tls_material(config, fmt::format("{} (CA {})", config.origin, ca.string()));
}

}  // namespace

InClusterEnv InClusterEnv::from_process() {
  InClusterEnv e;
  e.host = env("KUBERNETES_SERVICE_HOST");
  e.port = env("KUBERNETES_SERVICE_PORT");
  return e;
}

std::string normalise_server_url(std::string_view server, std::string_view what) {
  std::string url(server);
  if (url.find("://") == std::string::npos) {
    url = "https://" + url;  // client-go's DefaultServerURL for a bare host[:port]
  }
  parse_server_url(url, what);  // throws on anything unusable
  return url;
}

ClientConfig load_in_cluster(const InClusterEnv& env) {
  if (env.host.empty() || env.port.empty()) {
    throw ConfigError(
        "unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and "
        "KUBERNETES_SERVICE_PORT must be defined");
  }
  ClientConfig config;
  config.origin = "in-cluster configuration";
  // net.JoinHostPort: IPv6 literals need brackets.
  const bool v6 = env.host.find(':') != std::string::npos;
  config.server = normalise_server_url(
      fmt::format("https://{}{}{}:{}", v6 ? "[" : "", env.host, v6 ? "]" : "", env.port),
      "KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT");
  use_service_account(env, config);
  return config;
}

ClientConfig build_client_config(const std::string& kubeconfig, const std::string& master,
                                 const InClusterEnv& env) {
  if (!kubeconfig.empty()) {
    ClientConfig config = load_kubeconfig(kubeconfig);
    if (!master.empty()) {
      config.server = normalise_server_url(master, "--master");
    }
    return config;
  }
  if (!master.empty()) {
    ClientConfig config;
    config.origin = "--master with in-cluster service account";
    config.server = normalise_server_url(master, "--master");
    use_service_account(env, config);
    return config;
  }
  return load_in_cluster(env);
}

}  // namespace kr::k8s
