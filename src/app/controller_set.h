// The controllers kube-router runs, constructed and started in upstream's order (flags.md §3.2
// steps 11-14: router, service proxy, firewall, load balancer) once the caches have synced, and
// stopped in reverse order. The routing controller and the load balancer allocator are not part
// of this build: enabling them only logs a warning.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace boost::asio {
class io_context;
}
namespace kr::options {
struct Config;
}
namespace kr::k8s {
class InformerSet;
struct Node;
}  // namespace kr::k8s
namespace kr::observe {
class HealthController;
class Registry;
}  // namespace kr::observe
namespace kr::netpol {
class NetworkPolicyController;
}
namespace kr::proxy {
class ServiceProxyController;
}

namespace kr::app {

// True when --run-firewall or --run-service-proxy asks for a controller of this build, which
// all need this node's Node object.
bool needs_node_object(const options::Config& config);

class ControllerSet {
 public:
  struct Context {
    const options::Config& config;
    k8s::InformerSet& informers;  // synced
    const k8s::Node* node;        // this node, read during start(); null when
                                  // needs_node_object() is false
    observe::Registry* registry;  // null when metrics are off
    observe::HealthController& health;
    boost::asio::io_context& io;  // the daemon's event loop (NodePort health checks)
  };

  ControllerSet();
  ~ControllerSet();  // stops whatever still runs
  ControllerSet(const ControllerSet&) = delete;
  ControllerSet& operator=(const ControllerSet&) = delete;

  // Constructs and starts each enabled controller. On failure returns upstream's error text
  // ("failed to create network services controller: ...") and leaves the ones already started
  // running for stop(). Called from the main thread, never the I/O thread.
  std::optional<std::string> start(const Context& context);

  // Stops the running controllers, the last started first. Their kernel state stays (flags.md
  // §3.3). Not on the I/O thread: the service proxy waits for it to stop its health checks.
  void stop();

 private:
  std::unique_ptr<proxy::ServiceProxyController> proxy_;
  std::unique_ptr<netpol::NetworkPolicyController> firewall_;
};

}  // namespace kr::app
