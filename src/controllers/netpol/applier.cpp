#include "controllers/netpol/applier.h"

#include "base/log.h"
#include "controllers/netpol/names.h"
#include "controllers/netpol/netpol_metrics.h"
#include "controllers/netpol/static_chains.h"

namespace kr::netpol {
namespace {

int index(Family f) { return static_cast<int>(f); }

}  // namespace

Applier::Applier(netfilter::Iptables& iptables, netfilter::Ipset& ipset, NetpolMetrics* metrics)
    : iptables_(iptables), ipset_(ipset), metrics_(metrics) {}

ApplyResult Applier::apply(const DesiredState& desired, bool read_kernel) {
  ApplyResult result;
  std::optional<Known> known = std::move(known_);
  known_.reset();  // restored only if every step below succeeds
  if (read_kernel || !known) {
    known.emplace();
    result.read_kernel = true;
    for (const Family f : netfilter::kFamilies) {
      if (desired.family(f)) {
        ScopedTimer timer(metrics_ ? metrics_->save_time[index(f)] : nullptr);
        known->tables[index(f)] = netfilter::parse_filter_save(iptables_.save_filter(f));
      }
    }
    known->ipsets = netfilter::parse_ipset_save(ipset_.save());
  }

  std::array<netfilter::IpsetPlan, 2> set_plans;
  for (const Family f : netfilter::kFamilies) {
    const auto& family = desired.family(f);
    if (!family) continue;
    netfilter::IpsetPlan& plan = set_plans[index(f)];
    plan = netfilter::plan_ipsets(family->ipsets, known->ipsets, f, is_firewall_ipset,
                                  swap_set_name(f));
    if (!plan.update_script.empty()) {
      ScopedTimer timer(metrics_ ? metrics_->ipset_restore_time[index(f)] : nullptr);
      ipset_.restore(plan.update_script);
      ++result.ipset_restores;
      result.sets_written += plan.sets_created + plan.sets_swapped;
    }
  }

  for (const Family f : netfilter::kFamilies) {
    const auto& family = desired.family(f);
    if (!family) continue;
    const netfilter::FilterPlan plan =
        netfilter::plan_filter(family->filter, *known->tables[index(f)], is_firewall_chain);
    if (!plan.empty()) {
      KR_V(2, "restoring {} {} filter rules: {} created, {} rewritten, {} edited, {} deleted",
           backend_name(iptables_.backend()), family_name(f), plan.chains_created,
           plan.chains_rewritten, plan.chains_edited, plan.chains_deleted);
      ScopedTimer timer(metrics_ ? metrics_->restore_time[index(f)] : nullptr);
      iptables_.restore_filter(f, plan.document);
      ++result.iptables_restores;
      result.chains_written +=
          plan.chains_created + plan.chains_rewritten + plan.chains_edited + plan.chains_deleted;
    }
  }

  Known now;
  for (const Family f : netfilter::kFamilies) {
    const auto& family = desired.family(f);
    if (!family) continue;
    now.tables[index(f)] = netfilter::expected_table(family->filter);
    now.ipsets.merge(netfilter::expected_ipsets(family->ipsets));
  }
  for (const netfilter::IpsetPlan& plan : set_plans) {
    if (plan.destroy_script.empty()) continue;
    try {
      ipset_.restore(plan.destroy_script);
      ++result.ipset_restores;
      result.sets_written += plan.sets_destroyed;
    } catch (const netfilter::NetfilterError& e) {
      // Enforcement is complete without this; a set some other rule still uses stays, and the
      // next full resync (which reads the kernel) tries again.
      KR_WARN("could not destroy stale ipsets: {}", e.what());
    }
  }
  known_ = std::move(now);
  return result;
}

}  // namespace kr::netpol
