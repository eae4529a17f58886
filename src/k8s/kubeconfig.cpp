// kubeconfig parsing (the subset client-go's clientcmd uses to build a rest.Config).
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/errno_text.h"
#include "go/base64.h"
#include "k8s/client_config.h"
#include "k8s/tls_material.h"

namespace kr::k8s {
namespace {

std::string read_file(const std::filesystem::path& path, std::string_view what,
                      std::string_view origin) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ConfigError(fmt::format("{}: cannot read {} file {}: {}", origin, what, path.string(),
                                  kr::errno_text(errno)));
  }
  std::ostringstream data;
  data << in.rdbuf();
  return data.str();
}

std::filesystem::path resolve(const std::filesystem::path& base_dir, const std::string& p) {
  const std::filesystem::path path(p);
  return path.is_absolute() ? path : base_dir / path;
}

// Finds the entry named `name` in a list of {name, <inner_key>: {...}} maps.
YAML::Node find_named(const YAML::Node& root, const char* list_key, const char* inner_key,
                      const std::string& name, std::string_view origin) {
  const YAML::Node list = root[list_key];
  if (!list || list.IsNull()) {
    throw ConfigError(
        fmt::format(R"({}: no "{}" list (looking for "{}"))", origin, list_key, name));
  }
  if (!list.IsSequence()) {
    throw ConfigError(fmt::format("{}: \"{}\" must be a list", origin, list_key));
  }
  for (const YAML::Node& entry : list) {
    if (entry.IsMap() && entry["name"] && entry["name"].Scalar() == name) {
      const YAML::Node inner = entry[inner_key];
      if (!inner || !inner.IsMap()) {
        throw ConfigError(
            fmt::format(R"({}: {} "{}" has no "{}" map)", origin, list_key, name, inner_key));
      }
      return inner;
    }
  }
  throw ConfigError(fmt::format("{}: {} entry \"{}\" not found", origin, list_key, name));
}

std::string scalar(const YAML::Node& map, const char* key, std::string_view where) {
  const YAML::Node v = map[key];
  if (!v || v.IsNull()) {
    return {};
  }
  if (!v.IsScalar()) {
    throw ConfigError(fmt::format("{}: \"{}\" must be a string", where, key));
  }
  return v.Scalar();
}

// "<key>-data" (base64) wins over "<key>" (a file path), as in client-go.
std::string data_or_file(const YAML::Node& map, const std::string& key,
                         const std::filesystem::path& base_dir, std::string_view where) {
  const std::string data_key = key + "-data";
  const std::string data = scalar(map, data_key.c_str(), where);
  if (!data.empty()) {
    // client-go reads these []byte fields through encoding/json, i.e. base64.StdEncoding.
    go::Base64Decode decoded = go::decode_base64_std(data);
    if (!decoded.ok()) {
      throw ConfigError(
          fmt::format("{}: \"{}\" is not valid base64: {}", where, data_key, decoded.error));
    }
    return std::move(decoded.bytes);
  }
  const std::string file = scalar(map, key.c_str(), where);
  if (file.empty()) {
    return {};
  }
  return read_file(resolve(base_dir, file), key, where);
}

}  // namespace

ClientConfig parse_kubeconfig(std::string_view yaml, const std::filesystem::path& base_dir,
                              std::string_view origin) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    throw ConfigError(fmt::format("{}: invalid YAML: {}", origin, e.what()));
  }
  if (!root.IsMap()) {
    throw ConfigError(fmt::format("{}: not a kubeconfig (expected a YAML map)", origin));
  }
  const std::string context_name = scalar(root, "current-context", origin);
  if (context_name.empty()) {
    throw ConfigError(fmt::format("{}: current-context is not set", origin));
  }
  const YAML::Node context = find_named(root, "contexts", "context", context_name, origin);
  const std::string where_ctx = fmt::format("{}: context \"{}\"", origin, context_name);
  const std::string cluster_name = scalar(context, "cluster", where_ctx);
  if (cluster_name.empty()) {
    throw ConfigError(fmt::format("{}: names no cluster", where_ctx));
  }
  const YAML::Node cluster = find_named(root, "clusters", "cluster", cluster_name, origin);
  const std::string where_cluster = fmt::format("{}: cluster \"{}\"", origin, cluster_name);

  ClientConfig config;
  config.origin = std::string(origin);
  const std::string server = scalar(cluster, "server", where_cluster);
  if (server.empty()) {
    throw ConfigError(fmt::format("{}: server is not set", where_cluster));
  }
  config.server = normalise_server_url(server, where_cluster);
  config.tls_server_name = scalar(cluster, "tls-server-name", where_cluster);
  if (const YAML::Node insecure = cluster["insecure-skip-tls-verify"]; insecure) {
    try {
      config.insecure_skip_tls_verify = insecure.as<bool>();
    } catch (const YAML::Exception&) {
      throw ConfigError(
          fmt::format("{}: insecure-skip-tls-verify must be true or false", where_cluster));
    }
  }
  config.ca_pem = data_or_file(cluster, "certificate-authority", base_dir, where_cluster);
  if (config.insecure_skip_tls_verify && !config.ca_pem.empty()) {
    // client-go refuses this combination too.
    throw ConfigError(
        fmt::format("{}: specifying a root certificates file with the insecure flag is not allowed",
                    where_cluster));
  }

  const std::string user_name = scalar(context, "user", where_ctx);
  if (!user_name.empty()) {
    const YAML::Node user = find_named(root, "users", "user", user_name, origin);
    const std::string where_user = fmt::format("{}: user \"{}\"", origin, user_name);
    for (const char* unsupported : {"exec", "auth-provider", "username", "password"}) {
      if (user[unsupported]) {
        throw ConfigError(
            fmt::format("{}: \"{}\" credentials are not supported; use a client "
                        "certificate or a bearer token",
                        where_user, unsupported));
      }
    }
    config.client_cert_pem = data_or_file(user, "client-certificate", base_dir, where_user);
    config.client_key_pem = data_or_file(user, "client-key", base_dir, where_user);
    if (config.client_cert_pem.empty() != config.client_key_pem.empty()) {
      throw ConfigError(
          fmt::format("{}: client-certificate and client-key must be given together", where_user));
    }
    config.token = scalar(user, "token", where_user);
    const std::string token_file = scalar(user, "tokenFile", where_user);
    if (!token_file.empty()) {
      config.token_file = resolve(base_dir, token_file).string();
      read_file(config.token_file, "tokenFile", where_user);  // fail now, not at first request
    }
    validate_tls_material(config, where_user);
  } else {
    validate_tls_material(config, where_cluster);
  }
  return config;
}

ClientConfig load_kubeconfig(const std::filesystem::path& path) {
  const std::string origin = fmt::format("kubeconfig {}", path.string());
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ConfigError(fmt::format("{}: cannot read: {}", origin, kr::errno_text(errno)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_kubeconfig(text.str(), path.parent_path(), origin);
}

}  // namespace kr::k8s
