#include "controllers/netpol/applier.h"

#include <chrono>
#include <future>
#include <vector>

#include "base/log.h"
#include "controllers/netpol/names.h"
#include "controllers/netpol/netpol_metrics.h"
#include "controllers/netpol/static_chains.h"
#include "observe/metric_values.h"

namespace kr::netpol {
namespace {

int index(Family f) { return static_cast<int>(f); }

}  // namespace

Applier::Applier(netfilter::Iptables& iptables, netfilter::Ipset& ipset, NetpolMetrics* metrics)
    : iptables_(iptables), ipset_(ipset), metrics_(metrics) {}

ApplyResult Applier::apply(const DesiredState& desired, bool read_kernel,
                           const std::function<void(const ApplyResult&)>& on_programmed) {
  ApplyResult result;
  std::optional<Known> known = std::move(known_);
  known_.reset();  // restored only if every step below succeeds
  std::vector<Family> families;
  for (const Family f : netfilter::kFamilies) {
    if (desired.family(f)) families.push_back(f);
  }

  if (read_kernel || !known) {
    known.emplace();
    result.read_kernel = true;
    // The three reads are independent; run them side by side.
    std::vector<std::future<netfilter::FilterTable>> saves;
    for (const Family f : families) {
      saves.push_back(std::async(std::launch::async, [this, f] {
        ScopedTimer timer(metrics_ ? metrics_->save_time[index(f)] : nullptr);
        return netfilter::parse_filter_save(iptables_.save_filter(f));
      }));
    }
    known->ipsets = netfilter::parse_ipset_save(ipset_.save());
    for (size_t i = 0; i < families.size(); ++i) {
      known->tables[index(families[i])] = saves[i].get();
    }
  }

  // Every plan before the first write, so the writes follow each other without gaps.
  std::string update_sets, destroy_sets;
  std::vector<Family> set_families;
  for (const Family f : families) {
    const netfilter::IpsetPlan plan =
        netfilter::plan_ipsets(desired.family(f)->ipsets, known->ipsets, f, is_firewall_ipset,
                               swap_set_name(f), {.edit_ip_sets = true});
    if (!plan.update_script.empty()) set_families.push_back(f);
    update_sets += plan.update_script;
    destroy_sets += plan.destroy_script;
    result.sets_written += plan.sets_created + plan.sets_swapped + plan.sets_edited;
  }
  const netfilter::FilterPlanOptions options{.defer_removals = iptables_.backend() ==
                                                               netfilter::IptablesBackend::kNft};
  std::vector<std::pair<Family, std::string>> documents, cleanups;
  for (const Family f : families) {
    netfilter::FilterPlan plan = netfilter::plan_filter(
        desired.family(f)->filter, *known->tables[index(f)], is_firewall_chain, options);
    if (plan.empty()) continue;
    KR_V(2, "restoring {} {} filter rules: {} created, {} rewritten, {} edited, {} deleted{}",
         backend_name(iptables_.backend()), family_name(f), plan.chains_created,
         plan.chains_rewritten, plan.chains_edited, plan.chains_deleted,
         plan.cleanup.empty() ? "" : " (removals deferred)");
    result.chains_written +=
        plan.chains_created + plan.chains_rewritten + plan.chains_edited + plan.chains_deleted;
    if (!plan.document.empty()) documents.emplace_back(f, std::move(plan.document));
    if (!plan.cleanup.empty()) cleanups.emplace_back(f, std::move(plan.cleanup));
  }

  // Sets first, both families in one run, so the rules written next find them.
  if (!update_sets.empty()) {
    const auto start = std::chrono::steady_clock::now();
    ipset_.restore(update_sets);
    ++result.ipset_restores;
    if (metrics_) {
      for (const Family f : set_families) {
        metrics_->ipset_restore_time[index(f)]->observe(std::chrono::steady_clock::now() - start);
      }
    }
  }
  restore_families(documents);
  result.iptables_restores = documents.size();
  if (on_programmed) on_programmed(result);

  if (!result.wrote() && !result.read_kernel && cleanups.empty() && destroy_sets.empty()) {
    known_ = std::move(known);  // nothing changed: what we knew is still what the kernel has
    return result;
  }
  restore_families(cleanups);
  result.cleanup_restores = cleanups.size();
  Known now;
  for (const Family f : families) {
    now.tables[index(f)] = netfilter::expected_table(desired.family(f)->filter);
    now.ipsets.merge(netfilter::expected_ipsets(desired.family(f)->ipsets));
  }
  if (!destroy_sets.empty()) {
    try {
      iptables_.settle_removals();
      ipset_.restore(destroy_sets);
      ++result.ipset_restores;
    } catch (const netfilter::NetfilterError& e) {
      // Enforcement is complete without this; a set some other rule still uses stays, and the
      // next full resync (which reads the kernel) tries again.
      KR_WARN("could not destroy stale ipsets: {}", e.what());
    }
  }
  known_ = std::move(now);
  return result;
}

void Applier::restore_families(const std::vector<std::pair<Family, std::string>>& documents) {
  std::vector<std::future<void>> restores;
  for (const auto& [f, document] : documents) {
    restores.push_back(std::async(std::launch::async, [this, f = f, &document = document] {
      ScopedTimer timer(metrics_ ? metrics_->restore_time[index(f)] : nullptr);
      iptables_.restore_filter(f, document);
    }));
  }
  std::optional<netfilter::NetfilterError> failure;
  for (auto& r : restores) {
    try {
      r.get();
    } catch (const netfilter::NetfilterError& e) {
      failure = e;
    }
  }
  if (failure) {
    throw *failure;
  }
}

}  // namespace kr::netpol
