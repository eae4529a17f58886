// Finding this node's Node object (cni-node.md §1): --hostname-override, else the NODE_NAME
// environment variable, else the OS hostname, then one GET. The controllers need the object to
// know their own addresses and pod CIDRs; upstream treats its absence as fatal, and so do we.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "k8s/objects.h"

namespace kr::k8s {
class Client;
}

namespace kr::app {

// Where the node name came from; upstream words the failure differently for each source.
enum class NodeNameSource { kHostnameOverride, kNodeNameEnv, kHostname };

struct NodeName {
  std::string name;
  NodeNameSource source = NodeNameSource::kHostname;
};

// `hostname_override` is the flag's value, `node_name_env` the environment variable's (empty when
// unset), `hostname` the OS hostname.
NodeName resolve_node_name(const std::string& hostname_override, const std::string& node_name_env,
                           const std::string& hostname);

// The same, reading NODE_NAME and gethostname() of this process.
NodeName resolve_node_name(const std::string& hostname_override);

struct NodeLookup {
  std::shared_ptr<const k8s::Node> node;  // set on success
  std::optional<std::string> error;       // upstream's wording, e.g. "unable to get node n1, ..."
};

// GETs the node from the API server; blocks the calling thread, which must not be the client's
// I/O thread, for at most `timeout`.
NodeLookup fetch_node(k8s::Client& client, const NodeName& name, std::chrono::milliseconds timeout);

}  // namespace kr::app
