#include "controllers/netpol/network_policy_controller.h"

#include <stdexcept>

#include "base/log.h"
#include "controllers/common/reconcile_loop.h"
#include "controllers/netpol/applier.h"
#include "controllers/netpol/build_cache.h"
#include "controllers/netpol/cleanup.h"
#include "controllers/netpol/event_filter.h"
#include "controllers/netpol/netpol_metrics.h"
#include "controllers/netpol/ruleset_builder.h"
#include "kernel/netfilter/backend_detect.h"
#include "observe/health_controller.h"
#include "observe/metric_values.h"
#include "options/kube_router_config.h"

namespace kr::netpol {
namespace {

FirewallSettings settings_or_throw(const options::Config& config) {
  SettingsResult r = settings_from_config(config);
  if (r.error) {
    throw std::invalid_argument(*r.error);
  }
  return r.settings;
}

NetworkPolicyController::Parts daemon_parts(const options::Config& config,
                                            FirewallInformers informers,
                                            observe::HealthController& health) {
  if (config.use_nftables_for_netpol) {
    KR_WARN("--use-nftables-for-netpol is not supported by this build; using iptables");
  }
  const netfilter::IptablesBackend backend = netfilter::detect_backend();
  // A node switched between backends keeps no stale firewall in the one not used now.
  const netfilter::IptablesBackend other = backend == netfilter::IptablesBackend::kLegacy
                                               ? netfilter::IptablesBackend::kNft
                                               : netfilter::IptablesBackend::kLegacy;
  remove_firewall_chains(*netfilter::make_iptables(other));
  NetworkPolicyController::Parts parts;
  parts.source = make_informer_source(informers);
  parts.iptables = netfilter::make_iptables(backend);
  parts.ipset = netfilter::make_ipset();
  parts.heartbeat = [&health] { health.heartbeat(observe::Component::kNetworkPolicy); };
  return parts;
}

}  // namespace

NetworkPolicyController::NetworkPolicyController(const options::Config& config,
                                                 FirewallInformers informers, std::string node_name,
                                                 NodeFacts node, observe::Registry* registry,
                                                 observe::HealthController& health)
    : NetworkPolicyController(
          config,
          [&] {
            if (node.name.empty()) node.name = std::move(node_name);
            return std::move(node);
          }(),
          registry, daemon_parts(config, informers, health)) {}

NetworkPolicyController::NetworkPolicyController(const options::Config& config, NodeFacts node,
                                                 observe::Registry* registry, Parts parts)
    : node_(std::move(node)),
      settings_(settings_or_throw(config)),
      sync_period_(config.iptables_sync_period),
      parts_(std::move(parts)),
      metrics_(registry ? std::make_unique<NetpolMetrics>(*registry) : nullptr),
      applier_(std::make_unique<Applier>(*parts_.iptables, *parts_.ipset, metrics_.get())),
      build_cache_(std::make_unique<BuildCache>()) {
  if (sync_period_ <= std::chrono::nanoseconds::zero()) {
    throw std::invalid_argument("--iptables-sync-period must be positive");
  }
  controllers::ReconcileLoop::Options options{
      .name = "network policy",
      .resync_period = sync_period_,
      .retry_delay = std::min<std::chrono::nanoseconds>(std::chrono::seconds(5), sync_period_)};
  loop_ = std::make_unique<controllers::ReconcileLoop>(
      options, [this](const controllers::ReconcileLoop::Pass& pass) { return reconcile(pass); });
}

NetworkPolicyController::~NetworkPolicyController() { stop(); }

void NetworkPolicyController::start() {
  if (!subscribed_) {
    subscribed_ = true;
    changes_.fetch_add(1);  // the first pass programs the initial state
    ChangeHandlers handlers;
    handlers.pod = [this](const auto& old, const auto& now) {
      if (pod_change_matters(old.get(), now.get())) on_change();
    };
    handlers.ns = [this](const auto& old, const auto& now) {
      if (namespace_change_matters(old.get(), now.get())) on_change();
    };
    handlers.policy = [this](const auto&, const auto&) { on_change(); };
    parts_.source->subscribe(std::move(handlers));
  }
  loop_->start();
}

void NetworkPolicyController::stop() {
  if (loop_) loop_->stop();
}

void NetworkPolicyController::on_change() {
  changes_.fetch_add(1);
  loop_->mark_dirty();
}

bool NetworkPolicyController::reconcile(const controllers::ReconcileLoop::Pass& pass) {
  const bool full = pass.full;
  if (parts_.heartbeat) parts_.heartbeat();
  // Read before the snapshot: a change counted here is already in the caches it reads.
  const uint64_t covered = changes_.load();
  uint64_t full_pass = 0;
  if (full) {
    const std::lock_guard lock(mutex_);
    full_pass = ++full_passes_started_;
  }
  ScopedTimer sync_timer(metrics_ ? &metrics_->sync_time : nullptr);
  const auto start = std::chrono::steady_clock::now();
  DesiredState desired;
  {
    ScopedTimer build_timer(metrics_ ? &metrics_->policy_chains_sync_time : nullptr);
    desired = build_desired_state(parts_.source->snapshot(), node_, settings_, build_cache_.get());
  }
  const auto built = std::chrono::steady_clock::now();
  report_problems(desired.problems);
  if (metrics_) {
    metrics_->policy_chains.set(static_cast<double>(desired.policy_chains));
    metrics_->policy_ipsets.set(static_cast<double>(desired.policy_ipsets));
  }
  // Waiters, the counters and the latency histogram hear of the change once the kernel
  // enforces it; the applier's cleanup after that does not change behaviour. The latency is
  // taken here rather than at the end of the pass so it does not include that cleanup.
  bool programmed = false;
  bool wrote = false;
  const auto on_programmed = [&](const ApplyResult& so_far) {
    if (pass.oldest_change && metrics_) {
      metrics_->programming_latency.observe(std::chrono::duration_cast<std::chrono::nanoseconds>(
          controllers::ReconcileLoop::Clock::now() - *pass.oldest_change));
    }
    programmed = true;
    wrote = so_far.wrote();
    {
      const std::lock_guard lock(mutex_);
      ++stats_.passes;
      stats_.kernel_writes += wrote ? 1 : 0;
      programmed_ = std::max(programmed_, covered);
    }
    programmed_cv_.notify_all();
  };
  ApplyResult result;
  try {
    result = applier_->apply(desired, full, on_programmed);
  } catch (const netfilter::NetfilterError& e) {
    KR_ERROR("Aborting sync. Failed to program the network policy firewall: {}", e.what());
    const std::lock_guard lock(mutex_);
    stats_.passes += programmed ? 0 : 1;
    ++stats_.failed_passes;
    return false;
  }
  const auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  KR_V(1,
       "network policy sync done ({}): {} chains and {} ipsets written; built in {:.1f} ms, "
       "applied in {:.1f} ms",
       full ? "full" : "incremental", result.chains_written, result.sets_written, ms(built - start),
       ms(std::chrono::steady_clock::now() - built));
  {
    const std::lock_guard lock(mutex_);
    stats_.kernel_writes += !wrote && result.wrote() ? 1 : 0;  // the cleanup alone wrote
    if (full) last_full_pass_ok_ = std::max(last_full_pass_ok_, full_pass);
  }
  programmed_cv_.notify_all();
  return true;
}

void NetworkPolicyController::report_problems(const std::vector<Problem>& problems) {
  std::set<Problem> now(problems.begin(), problems.end());
  size_t rejected = 0;
  for (const Problem& p : now) {
    rejected += p.kind == "policy" ? 1 : 0;
    if (!reported_.contains(p)) {
      KR_ERROR("{} {}: {}", p.kind, p.object, p.message);
    }
  }
  for (const Problem& p : reported_) {
    if (!now.contains(p)) {
      KR_INFO("{} {}: problem resolved ({})", p.kind, p.object, p.message);
    }
  }
  reported_ = std::move(now);
  if (metrics_) metrics_->rejected_policies.set(static_cast<double>(rejected));
}

bool NetworkPolicyController::wait_until_programmed(std::chrono::milliseconds timeout) {
  const uint64_t target = changes_.load();
  std::unique_lock lock(mutex_);
  return programmed_cv_.wait_for(lock, timeout, [&] { return programmed_ >= target; });
}

bool NetworkPolicyController::resync(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  // A full pass already under way may have read the kernel before the call: wait for one that
  // starts later.
  const uint64_t target = full_passes_started_ + 1;
  lock.unlock();
  loop_->request_full();
  lock.lock();
  return programmed_cv_.wait_for(lock, timeout, [&] { return last_full_pass_ok_ >= target; });
}

NetworkPolicyController::Stats NetworkPolicyController::stats() const {
  const std::lock_guard lock(mutex_);
  return stats_;
}

}  // namespace kr::netpol
