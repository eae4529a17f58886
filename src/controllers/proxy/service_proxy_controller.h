// The IPVS service proxy (--run-service-proxy). Service and EndpointSlice events mark the
// affected Services dirty; the worker recomputes just those Services' desired state and applies
// only what changed (one netlink batch for IPVS, the ipsets and hairpin rules only when they
// changed). Every --ipvs-sync-period a full pass re-lists the objects, re-reads the kernel and
// repairs drift (design.md §2); it writes IPVS on the worker thread while a helper thread
// writes the netfilter state and kube-dummy-if. With --ipvs-graceful-termination a second thread
// deletes drained destinations every 5 s (proxy.md §9).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "controllers/proxy/desired_table.h"
#include "controllers/proxy/host_addresses.h"
#include "controllers/proxy/node_facts.h"
#include "controllers/proxy/object_cache.h"
#include "controllers/proxy/proxy_firewall.h"
#include "controllers/proxy/proxy_settings.h"
#include "controllers/proxy/service_source.h"
#include "controllers/proxy/system_settings.h"
#include "controllers/proxy/vip_sync.h"
#include "kernel/ipvs/ipvs.h"

namespace boost::asio {
class io_context;
}
namespace kr::options {
struct Config;
}
namespace kr::observe {
class Registry;
class HealthController;
}  // namespace kr::observe
namespace kr::controllers {
class ReconcileLoop;
}

namespace kr::proxy {

class HealthCheckServers;
class IpvsSync;
class ProxyMetrics;

class ServiceProxyController {
 public:
  // What the controller runs against; the daemon constructor builds the real ones.
  struct Parts {
    std::unique_ptr<ServiceSource> source;
    std::unique_ptr<ipvs::Ipvs> ipvs;
    std::function<std::unique_ptr<ipvs::Ipvs>()> open_ipvs;  // for metric scrapes
    std::unique_ptr<VipInterface> dummy;
    std::unique_ptr<ProxyFirewall> firewall;
    std::function<std::vector<InterfaceAddress>()> interface_addresses;
    std::function<void(const VipKey&)> flush_udp_conntrack;  // may be empty
    SysctlRead read_sysctl;                                  // may be empty: no sysctls
    SysctlWrite write_sysctl;
    std::function<void()> heartbeat;        // may be empty
    boost::asio::io_context* io = nullptr;  // NodePort health checks; null: not served
    std::string health_check_host;          // "" = every address (upstream)
  };

  // The daemon's controller. `node` is the own Node object (GET once at start, proxy.md §1.1);
  // `registry` is null when metrics are off; `io` is the daemon's event loop (health-check
  // servers). Throws std::invalid_argument naming the flag or the node when they are unusable,
  // and netlink::NetlinkError when IPVS is not available.
  ServiceProxyController(const options::Config& config, ProxyInformers informers,
                         const k8s::Node& node, observe::Registry* registry,
                         observe::HealthController& health, boost::asio::io_context& io);
  // Tests, benchmarks, tools: explicit parts and node facts (local_addresses are refreshed from
  // parts.interface_addresses on every full pass).
  ServiceProxyController(const options::Config& config, NodeFacts node, observe::Registry* registry,
                         Parts parts);
  ~ServiceProxyController();
  ServiceProxyController(const ServiceProxyController&) = delete;
  ServiceProxyController& operator=(const ServiceProxyController&) = delete;

  // Start-up settings (IPVS timeouts, sysctls), then subscribes and starts the worker; the first
  // pass is a full one.
  void start();
  // Finishes the current pass and stops, and stops the health-check servers. IPVS services and
  // rules stay (traffic keeps flowing while kube-router restarts).
  void stop();

  // Blocks until every change reported before the call is programmed; false on timeout.
  bool wait_until_programmed(std::chrono::milliseconds timeout);
  // Runs a full pass now and waits for it; false on timeout or failure.
  bool resync(std::chrono::milliseconds timeout);

  struct Stats {
    std::uint64_t passes = 0;
    std::uint64_t full_passes = 0;
    std::uint64_t failed_passes = 0;
    std::uint64_t services_recomputed = 0;  // Service states rebuilt, all passes
    std::uint64_t ipvs_changes = 0;         // IPVS changes sent, all passes
  };
  Stats stats() const;

 private:
  bool reconcile(bool full);
  bool full_pass();
  bool incremental_pass();
  TableDelta recompute(const ServiceId& id);
  bool apply_firewall(bool full, const TableDelta& delta);
  void apply_health_and_sloppy(const TableDelta& delta, bool full);
  void report_problems(const ServiceId& id, const std::vector<std::string>& problems);
  void graceful_loop();

  ProxySettings settings_;
  NodeFacts node_;
  std::chrono::nanoseconds sync_period_;
  Parts parts_;
  std::unique_ptr<ProxyMetrics> metrics_;
  std::unique_ptr<IpvsSync> ipvs_sync_;
  std::unique_ptr<VipSync> vip_sync_;
  std::unique_ptr<HealthCheckServers> health_checks_;
  std::unique_ptr<controllers::ReconcileLoop> loop_;
  ObjectCache cache_;

  // Worker state (under apply_mutex_, shared with the graceful-termination thread).
  std::mutex apply_mutex_;
  DesiredTable table_;
  bool sets_pending_ = false;
  bool vips_pending_ = false;
  bool hairpin_pending_[2] = {false, false};
  bool sloppy_tcp_written_ = false;
  bool first_pass_ = true;
  std::map<ServiceId, std::set<std::string>> problems_;

  std::atomic<std::uint64_t> changes_{0};
  mutable std::mutex mutex_;
  std::condition_variable programmed_cv_;
  std::uint64_t programmed_ = 0;
  std::uint64_t full_passes_ok_ = 0;
  Stats stats_;
  bool subscribed_ = false;

  std::mutex graceful_mutex_;
  std::condition_variable graceful_cv_;
  bool graceful_stop_ = false;
  std::thread graceful_thread_;
};

}  // namespace kr::proxy
