#include "app/node_lookup.h"

#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <climits>
#include <cstdlib>
#include <future>

#include "k8s/client.h"

namespace kr::app {
namespace {

std::string env_or_empty(const char* name) {
  // Only setenv races with getenv, and the daemon never calls setenv.
  const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe)
  return value != nullptr ? value : "";
}

std::string os_hostname() {
  char buffer[HOST_NAME_MAX + 1] = {};
  if (gethostname(buffer, sizeof buffer - 1) != 0) {
    return {};
  }
  return buffer;
}

// Upstream (pkg/utils/node.go GetNodeObject) names the source that failed.
std::string lookup_error(const NodeName& name, const std::string& why) {
  if (name.source == NodeNameSource::kHostname) {
    return "failed to identify the node by NODE_NAME, " + name.name +
           " or --hostname-override: " + why;
  }
  return "unable to get node " + name.name + ", due to: " + why;
}

NodeLookup failure(std::string error) {
  NodeLookup lookup;
  lookup.error = std::move(error);
  return lookup;
}

}  // namespace

NodeName resolve_node_name(const std::string& hostname_override, const std::string& node_name_env,
                           const std::string& hostname) {
  if (!hostname_override.empty()) {
    return {hostname_override, NodeNameSource::kHostnameOverride};
  }
  if (!node_name_env.empty()) {
    return {node_name_env, NodeNameSource::kNodeNameEnv};
  }
  return {hostname, NodeNameSource::kHostname};
}

NodeName resolve_node_name(const std::string& hostname_override) {
  return resolve_node_name(hostname_override, env_or_empty("NODE_NAME"), os_hostname());
}

NodeLookup fetch_node(k8s::Client& client, const NodeName& name,
                      std::chrono::milliseconds timeout) {
  if (name.name.empty()) {
    return failure(lookup_error(name, "the node name is empty"));
  }
  // Shared with the callback, which may run after a timeout made this function return.
  auto promise = std::make_shared<std::promise<k8s::ApiResult<k8s::Node>>>();
  auto answer = promise->get_future();
  boost::asio::post(client.io(), [&client, promise, node = name.name] {
    client.get<k8s::Node>("", node, [promise](k8s::ApiResult<k8s::Node> result) {
      promise->set_value(std::move(result));
    });
  });
  if (answer.wait_for(timeout) != std::future_status::ready) {
    return failure(lookup_error(name, "no answer from the API server"));
  }
  k8s::ApiResult<k8s::Node> result = answer.get();
  if (result.ok()) {
    NodeLookup found;
    found.node = std::move(result.object);
    return found;
  }
  if (result.status == k8s::ApiStatus::kNotFound) {
    // client-go's text for a 404 of a Node.
    return failure(lookup_error(name, "nodes \"" + name.name + "\" not found"));
  }
  return failure(lookup_error(name, result.message));
}

}  // namespace kr::app
