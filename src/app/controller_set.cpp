#include "app/controller_set.h"

#include <chrono>
#include <stdexcept>

#include "app/firewall_node_facts.h"
#include "base/log.h"
#include "controllers/netpol/network_policy_controller.h"
#include "controllers/proxy/service_proxy_controller.h"
#include "k8s/informer_set.h"
#include "kernel/netlink/error.h"
#include "options/kube_router_config.h"

namespace kr::app {
namespace {

// Upstream blocks the firewall's start until the proxy has put its own INPUT rules in place, so
// the firewall's position-1 jumps end up above them (netpol.md §1). Ours waits for the proxy's
// first pass, but not forever: a proxy that keeps failing must not keep the firewall off.
constexpr auto kProxyFirstPassWait = std::chrono::seconds(30);

std::unique_ptr<proxy::ServiceProxyController> make_proxy(const ControllerSet::Context& c) {
  try {
    return std::make_unique<proxy::ServiceProxyController>(
        c.config,
        proxy::ProxyInformers{c.informers.services(), c.informers.endpoint_slices(),
                              c.informers.pods()},
        *c.node, c.registry, c.health, c.io);
  } catch (const netlink::NetlinkError& e) {
    throw std::runtime_error(std::string(e.what()) +
                             " (is the ip_vs kernel module available? "
                             "--run-service-proxy=false runs kube-router without the proxy)");
  }
}

std::unique_ptr<netpol::NetworkPolicyController> make_firewall(const ControllerSet::Context& c) {
  FirewallNodeFacts node = firewall_node_facts(*c.node, c.config);
  if (node.error) {
    throw std::invalid_argument(*node.error);
  }
  std::string name = node.facts.name;
  return std::make_unique<netpol::NetworkPolicyController>(
      c.config,
      netpol::FirewallInformers{c.informers.pods(), c.informers.namespaces(),
                                c.informers.network_policies()},
      std::move(name), std::move(node.facts), c.registry, c.health);
}

void warn_not_built(const options::Config& config) {
  if (config.run_router) {
    KR_WARN(
        "the routing controller (BGP, CNI, overlay) is not part of this build yet: "
        "--run-router has no effect");
  }
}

}  // namespace

bool needs_node_object(const options::Config& config) {
  return config.run_firewall || config.run_service_proxy;
}

ControllerSet::ControllerSet() = default;

ControllerSet::~ControllerSet() { stop(); }

std::optional<std::string> ControllerSet::start(const Context& context) {
  const options::Config& config = context.config;
  warn_not_built(config);
  if (config.run_service_proxy) {
    try {
      proxy_ = make_proxy(context);
      proxy_->start();
    } catch (const std::exception& e) {
      return std::string("failed to create network services controller: ") + e.what();
    }
    KR_INFO("started the service proxy (IPVS)");
    if (config.run_firewall && !proxy_->wait_until_programmed(kProxyFirstPassWait)) {
      KR_WARN(
          "the service proxy has not completed its first sync after {}s; starting the "
          "network policy controller anyway",
          kProxyFirstPassWait.count());
    }
  }
  if (config.run_firewall) {
    try {
      firewall_ = make_firewall(context);
      firewall_->start();
    } catch (const std::exception& e) {
      return std::string("failed to create network policy controller: ") + e.what();
    }
    KR_INFO("started the network policy controller");
  }
  if (config.run_loadbalancer) {
    KR_WARN(
        "the load balancer allocator is not part of this build yet: "
        "--run-loadbalancer has no effect");
  }
  return std::nullopt;
}

void ControllerSet::stop() {
  if (firewall_) firewall_->stop();
  if (proxy_) proxy_->stop();
}

}  // namespace kr::app
