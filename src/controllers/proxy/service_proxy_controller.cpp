#include "controllers/proxy/service_proxy_controller.h"

#include <future>
#include <stdexcept>
#include <utility>

#include "base/log.h"
#include "controllers/common/reconcile_loop.h"
#include "controllers/proxy/dummy_interface.h"
#include "controllers/proxy/health_check_servers.h"
#include "controllers/proxy/ipvs_sync.h"
#include "controllers/proxy/names.h"
#include "controllers/proxy/node_state.h"
#include "controllers/proxy/proxy_metrics.h"
#include "kernel/ipvs/kernel_ipvs.h"
#include "kernel/netfilter/backend_detect.h"
#include "kernel/netlink/sysctl.h"
#include "observe/health_controller.h"
#include "options/kube_router_config.h"

namespace kr::proxy {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kGracefulInterval = std::chrono::seconds(5);  // proxy.md §3.2, §9

ProxySettings settings_or_throw(const options::Config& config) {
  auto r = settings_from_config(config);
  if (r.error) throw std::invalid_argument(*r.error);
  return std::move(r.settings);
}

NodeFacts facts_or_throw(const options::Config& config, const k8s::Node& node) {
  auto r = node_facts_from(node, {.run_router = config.run_router,
                                  .enable_ipv4 = config.enable_ipv4,
                                  .enable_ipv6 = config.enable_ipv6});
  if (r.error) throw std::invalid_argument(*r.error);
  return std::move(r.facts);
}

ServiceProxyController::Parts daemon_parts(ProxyInformers informers,
                                           observe::HealthController& health,
                                           boost::asio::io_context& io) {
  ServiceProxyController::Parts parts;
  parts.source = make_informer_source(informers);
  parts.ipvs = ipvs::open_kernel_ipvs();
  parts.open_ipvs = [] { return ipvs::open_kernel_ipvs(); };
  parts.dummy = std::make_unique<DummyInterface>();
  parts.firewall = std::make_unique<NetfilterFirewall>(netfilter::detect_backend());
  parts.interface_addresses = [] { return list_interface_addresses(); };
  parts.flush_udp_conntrack = [](const VipKey& key) { flush_udp_conntrack(key); };
  parts.read_sysctl = [](std::string_view name) { return sysctl::read(name); };
  parts.write_sysctl = [](std::string_view name, std::string_view value) {
    sysctl::write(name, value);
  };
  parts.heartbeat = [&health] { health.heartbeat(observe::Component::kNetworkServices); };
  parts.io = &io;
  return parts;
}

}  // namespace

ServiceProxyController::ServiceProxyController(const options::Config& config,
                                               ProxyInformers informers, const k8s::Node& node,
                                               observe::Registry* registry,
                                               observe::HealthController& health,
                                               boost::asio::io_context& io)
    : ServiceProxyController(config, facts_or_throw(config, node), registry,
                             daemon_parts(informers, health, io)) {}

ServiceProxyController::ServiceProxyController(const options::Config& config, NodeFacts node,
                                               observe::Registry* registry, Parts parts)
    : settings_(settings_or_throw(config)),
      node_(std::move(node)),
      sync_period_(config.ipvs_sync_period),
      parts_(std::move(parts)) {
  if (sync_period_ <= std::chrono::nanoseconds::zero()) {
    throw std::invalid_argument("--ipvs-sync-period must be positive");
  }
  if (registry != nullptr) {
    metrics_ = std::make_unique<ProxyMetrics>(*registry, parts_.open_ipvs);
  }
  IpvsSync::Options options{
      .graceful_termination = settings_.graceful_termination,
      .excluded_cidrs = settings_.excluded_cidrs,
      .grace_for =
          [this](const IpAddress& ip) {
            return parts_.source->pod_grace_period(ip).value_or(settings_.graceful_period);
          },
      .udp_destination_removed = parts_.flush_udp_conntrack};
  ipvs_sync_ = std::make_unique<IpvsSync>(*parts_.ipvs, std::move(options));
  vip_sync_ = std::make_unique<VipSync>(*parts_.dummy);
  if (parts_.io != nullptr) {
    health_checks_ = std::make_unique<HealthCheckServers>(*parts_.io, parts_.health_check_host);
  }
  loop_ = std::make_unique<controllers::ReconcileLoop>(
      controllers::ReconcileLoop::Options{
          .name = "service proxy",
          .resync_period = sync_period_,
          .retry_delay = std::min<std::chrono::nanoseconds>(std::chrono::seconds(5), sync_period_)},
      [this](const controllers::ReconcileLoop::Pass& pass) { return reconcile(pass.full); },
      [this](const controllers::ReconcileLoop::Pass& pass, bool ok,
             controllers::ReconcileLoop::Clock::duration latency) {
        if (ok && pass.oldest_change && metrics_) {
          metrics_->programming_latency.observe(
              std::chrono::duration_cast<std::chrono::nanoseconds>(latency));
        }
      });
}

ServiceProxyController::~ServiceProxyController() { stop(); }

void ServiceProxyController::start() {
  if (!subscribed_) {
    subscribed_ = true;
    if (settings_.timeouts != ipvs::Timeouts{}) {
      try {
        parts_.ipvs->set_timeouts(settings_.timeouts);
      } catch (const std::exception& e) {
        KR_ERROR("setting IPVS timeouts: {}", e.what());
      }
    }
    if (parts_.read_sysctl && parts_.write_sysctl) {
      std::vector<std::string> interfaces;
      if (node_.capable(Family::kIPv4)) {
        interfaces = {"all", "kube-bridge", std::string(kDummyInterface)};
        try {
          if (auto own = interface_with(parts_.interface_addresses(), node_.primary_ip)) {
            interfaces.push_back(*own);
          }
        } catch (const std::exception& e) {
          KR_WARN("finding the node interface: {}", e.what());
        }
      }
      apply_start_sysctls(parts_.read_sysctl, parts_.write_sysctl, interfaces);
    }
    changes_.fetch_add(1);  // the first pass programs the initial state
    ServiceHandlers handlers;
    handlers.service = [this](const auto& old, const auto& now) {
      cache_.on_service(old, now);
      changes_.fetch_add(1);
      loop_->mark_dirty();
    };
    handlers.slice = [this](const auto& old, const auto& now) {
      cache_.on_slice(old, now);
      changes_.fetch_add(1);
      loop_->mark_dirty();
    };
    parts_.source->subscribe(std::move(handlers));
  }
  loop_->start();
  if (settings_.graceful_termination && !graceful_thread_.joinable()) {
    graceful_stop_ = false;
    graceful_thread_ = std::thread([this] { graceful_loop(); });
  }
}

void ServiceProxyController::stop() {
  {
    const std::lock_guard lock(graceful_mutex_);
    graceful_stop_ = true;
  }
  graceful_cv_.notify_all();
  if (graceful_thread_.joinable()) graceful_thread_.join();
  if (loop_) loop_->stop();
  if (health_checks_) health_checks_->stop_all();
}

void ServiceProxyController::graceful_loop() {
  std::unique_lock lock(graceful_mutex_);
  while (!graceful_cv_.wait_for(lock, kGracefulInterval, [this] { return graceful_stop_; })) {
    lock.unlock();
    {
      const std::lock_guard apply(apply_mutex_);
      try {
        ipvs_sync_->expire_draining(Clock::now());
      } catch (const std::exception& e) {
        KR_ERROR("IPVS graceful termination: {}", e.what());
      }
    }
    lock.lock();
  }
}

bool ServiceProxyController::reconcile(bool full) {
  // Upstream sends no heartbeat for its initial sync, and one before and after each later one.
  const bool heartbeat = parts_.heartbeat && !first_pass_;
  if (heartbeat) parts_.heartbeat();
  const std::uint64_t covered = changes_.load();  // read before taking the dirty set
  const auto start = Clock::now();
  bool ok = false;
  {
    const std::lock_guard lock(apply_mutex_);
    try {
      ok = full ? full_pass() : incremental_pass();
    } catch (const std::exception& e) {
      KR_ERROR("service proxy sync failed: {}", e.what());
    }
  }
  if (metrics_) metrics_->sync_time.observe(Clock::now() - start);
  first_pass_ = false;
  if (ok && heartbeat) parts_.heartbeat();
  {
    const std::lock_guard lock(mutex_);
    ++stats_.passes;
    stats_.full_passes += full ? 1 : 0;
    stats_.failed_passes += ok ? 0 : 1;
    if (ok) {
      programmed_ = std::max(programmed_, covered);
      full_passes_ok_ += full ? 1 : 0;
    }
  }
  programmed_cv_.notify_all();
  return ok;
}

TableDelta ServiceProxyController::recompute(const ServiceId& id) {
  const ObjectCache::Entry entry = cache_.get(id);
  ServiceState state;
  std::vector<std::string> problems;
  if (entry.service) {
    auto read = read_service(*entry.service, settings_.validator);
    problems = std::move(read.problems);
    if (read.record) {
      auto endpoints = read_endpoints(entry.slices, node_.name);
      state = build_service_state(*read.record, endpoints.by_port, node_, settings_);
      problems.insert(problems.end(), endpoints.problems.begin(), endpoints.problems.end());
      problems.insert(problems.end(), state.problems.begin(), state.problems.end());
    }
  }
  report_problems(id, problems);
  {
    const std::lock_guard lock(mutex_);
    ++stats_.services_recomputed;
  }
  return table_.set(id, std::move(state));
}

void ServiceProxyController::report_problems(const ServiceId& id,
                                             const std::vector<std::string>& problems) {
  std::set<std::string> now(problems.begin(), problems.end());
  auto& before = problems_[id];
  for (const std::string& p : now) {
    if (!before.contains(p)) KR_WARN("service {}: {}", id.to_string(), p);
  }
  if (now.empty()) {
    problems_.erase(id);
  } else {
    before = std::move(now);
  }
}

bool ServiceProxyController::full_pass() {
  const auto now = Clock::now();
  std::set<ServiceId> ids = cache_.reset(parts_.source->snapshot());
  for (const auto& [id, state] : table_.services()) ids.insert(id);
  bool ok = true;
  try {
    node_.local_addresses = host_local_addresses(parts_.interface_addresses());
  } catch (const std::exception& e) {
    KR_ERROR("listing the host's addresses: {}", e.what());
    ok = false;
  }
  for (const ServiceId& id : ids) recompute(id);
  // The netfilter tools and kube-dummy-if (RTNL) do not contend with IPVS (its own mutex), so a
  // second thread programs them while this one writes IPVS; both only read the table.
  const std::vector<IpAddress> vips = table_.vips();
  auto side = std::async(std::launch::async, [this, &vips] {
    const bool firewall_ok = apply_firewall(true, {});
    return std::pair{firewall_ok, vip_sync_->full_sync(vips, node_)};
  });
  const IpvsSyncReport report = ipvs_sync_->full_sync(table_, now);
  const auto [firewall_ok, vips_ok] = side.get();
  ok = ok && firewall_ok;
  vips_pending_ = !vips_ok;
  KR_V(1, "service proxy full sync: {} services, {} IPVS changes, {} failed",
       table_.services().size(), report.changes(), report.failures);
  apply_health_and_sloppy({}, true);
  if (metrics_) {
    std::map<VipKey, ServiceId> owners;
    for (const auto& [key, vs] : table_.virtual_services()) {
      if (const ServiceId* owner = table_.owner(key)) owners[key] = *owner;
    }
    metrics_->replace_owners(std::move(owners));
  }
  {
    const std::lock_guard lock(mutex_);
    stats_.ipvs_changes += report.changes();
  }
  return ok && vips_ok && report.ok();
}

bool ServiceProxyController::incremental_pass() {
  TableDelta delta;
  for (const ServiceId& id : cache_.take_dirty()) {
    delta.merge(recompute(id));
  }
  bool ok = apply_firewall(false, delta);
  if (delta.vips || vips_pending_) {
    const bool vips_ok = vip_sync_->sync(table_.vips(), node_);
    vips_pending_ = !vips_ok;
    ok = ok && vips_ok;
  }
  const IpvsSyncReport report = ipvs_sync_->sync(table_, delta.virtual_services, Clock::now());
  apply_health_and_sloppy(delta, false);
  if (metrics_) {
    for (const VipKey& key : delta.virtual_services) metrics_->set_owner(key, table_.owner(key));
  }
  {
    const std::lock_guard lock(mutex_);
    stats_.ipvs_changes += report.changes();
  }
  return ok && report.ok();
}

bool ServiceProxyController::apply_firewall(bool full, const TableDelta& delta) {
  const NodeState node_state = build_node_state(node_, settings_);
  bool ok = true;
  bool sets_ok = true;
  const bool sets_due = full || delta.service_keys || sets_pending_;
  for (const Family family : kBothFamilies) {
    const FamilyNodeState& state = node_state.family(family);
    if (!state.enabled) continue;
    auto& hairpin_pending = hairpin_pending_[static_cast<int>(family)];
    try {
      // Sets first: the filter rules refer to them.
      if (sets_due) {
        parts_.firewall->sync_sets(
            family, state, {table_.service_ip_members(family), table_.service_port_members(family)},
            full);
      }
      if (full) parts_.firewall->sync_filter(family, state);
    } catch (const std::exception& e) {
      KR_ERROR("service proxy {} ipsets and filter rules: {}", family_name(family), e.what());
      ok = sets_ok = false;
    }
    if (full || delta.hairpin(family) || hairpin_pending) {
      try {
        parts_.firewall->sync_nat(family, state, table_.hairpin_rules(family), full);
        hairpin_pending = false;
      } catch (const std::exception& e) {
        KR_ERROR("service proxy {} SNAT and hairpin rules: {}", family_name(family), e.what());
        hairpin_pending = true;
        ok = false;
      }
    }
  }
  if (sets_due) sets_pending_ = !sets_ok;
  return ok;
}

void ServiceProxyController::apply_health_and_sloppy(const TableDelta& delta, bool full) {
  if (health_checks_ && (full || delta.health_checks)) {
    health_checks_->update(table_.health_checks());
  }
  // §8.6: written only when the wanted value differs from the last one written (initially 0).
  const bool want = table_.sloppy_tcp();
  if (parts_.write_sysctl && (full || delta.sloppy_tcp) && want != sloppy_tcp_written_) {
    try {
      parts_.write_sysctl("net.ipv4.vs.sloppy_tcp", want ? "1" : "0");
      sloppy_tcp_written_ = want;
    } catch (const std::exception& e) {
      KR_ERROR("setting net.ipv4.vs.sloppy_tcp: {}", e.what());
    }
  }
}

bool ServiceProxyController::wait_until_programmed(std::chrono::milliseconds timeout) {
  const std::uint64_t target = changes_.load();
  std::unique_lock lock(mutex_);
  return programmed_cv_.wait_for(lock, timeout, [&] { return programmed_ >= target; });
}

bool ServiceProxyController::resync(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = full_passes_ok_ + 1;
  lock.unlock();
  loop_->request_full();
  lock.lock();
  return programmed_cv_.wait_for(lock, timeout, [&] { return full_passes_ok_ >= target; });
}

ServiceProxyController::Stats ServiceProxyController::stats() const {
  const std::lock_guard lock(mutex_);
  return stats_;
}

}  // namespace kr::proxy
