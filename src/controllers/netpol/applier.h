// Makes the kernel's filter tables and ipsets match a DesiredState, touching only what the
// firewall owns and only what differs (design.md §2: the applier diffs and applies atomically).
//
// Order per pass: every plan is made first; then ipsets (new sets created, changed ones
// swapped), then one iptables-restore --noflush per family (both at once). At that point the
// kernel enforces the desired state and the caller is told so; what remains is cleanup that
// does not change behaviour: on the nf_tables backend the rules and chains the first restore
// made unreachable are deleted (filter_plan.h, FilterPlanOptions::defer_removals: removals
// cost that backend an RCU grace period per restore), then stale sets are destroyed once no
// rule references them. Each iptables-restore is one transaction: a failure leaves that
// family's rules as they were. Between full resyncs the applier plans against what its last
// successful pass left instead of reading the kernel back; any failure drops that memory, so
// the next pass reads.
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "controllers/netpol/desired_state.h"
#include "kernel/netfilter/filter_table.h"
#include "kernel/netfilter/ipset.h"
#include "kernel/netfilter/ipset_plan.h"
#include "kernel/netfilter/iptables.h"

namespace kr::netpol {

struct NetpolMetrics;

struct ApplyResult {
  size_t iptables_restores = 0;  // documents written before the kernel enforced the state
  size_t cleanup_restores = 0;   // documents deleting unreachable rules afterwards
  size_t ipset_restores = 0;
  size_t chains_written = 0;  // created, rewritten, edited or deleted
  size_t sets_written = 0;    // created, swapped or destroyed
  bool read_kernel = false;
  bool wrote() const { return iptables_restores + cleanup_restores + ipset_restores > 0; }
};

class Applier {
 public:
  // `metrics` may be null.
  Applier(netfilter::Iptables& iptables, netfilter::Ipset& ipset, NetpolMetrics* metrics);

  // Throws netfilter::NetfilterError when a tool fails (the message names it and the line).
  // `read_kernel` forces reading the kernel's state first (full resync); it is read anyway
  // when no earlier pass succeeded. `on_programmed` (may be empty) runs as soon as the kernel
  // enforces `desired`, before the cleanup, with what was written so far; a cleanup failure
  // still throws afterwards.
  ApplyResult apply(const DesiredState& desired, bool read_kernel,
                    const std::function<void(const ApplyResult&)>& on_programmed = {});

  // Forget what the last pass left, so the next one reads the kernel.
  void forget() { known_.reset(); }

 private:
  struct Known {
    std::array<std::optional<netfilter::FilterTable>, 2> tables;
    netfilter::IpsetTable ipsets;
  };

  // One iptables-restore per (family, document), all at once (the families' tables are
  // independent); throws the first failure once every restore has finished.
  void restore_families(const std::vector<std::pair<Family, std::string>>& documents);

  netfilter::Iptables& iptables_;
  netfilter::Ipset& ipset_;
  NetpolMetrics* metrics_;
  std::optional<Known> known_;
};

}  // namespace kr::netpol
