// Turns "the chains we own should look like this" into the smallest iptables-restore --noflush
// document that gets the kernel there from what it has now, touching nothing else.
//
// Per owned chain: missing -> declared and filled; equal -> nothing; different -> the rules
// between the common prefix and the common suffix are deleted and inserted by position (so
// adding a pod inserts its few jumps into KUBE-ROUTER-FORWARD instead of rewriting it), or the
// chain is re-declared (which flushes it) and refilled when that is shorter. Owned chains that
// are no longer wanted are flushed and deleted after every reference to them is gone; one that
// some other software's rule still jumps to is only flushed. Pinned rules (our jumps from the
// built-in chains) are kept at position 1: stray copies are deleted by rule text, never by
// position, so rules other software adds meanwhile are never hit.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/netfilter/filter_table.h"

namespace kr::netfilter {

// A rule that must be the first rule of a chain we do not own (INPUT, FORWARD, OUTPUT).
struct PinnedRule {
  std::string chain;
  std::string rule;  // canonical iptables-save text after "-A <chain> "
};

// Everything one controller wants in one family's filter table.
struct DesiredFilter {
  std::map<std::string, StringList> chains;  // owned chain -> full content
  std::vector<PinnedRule> pinned;
};

// Whether a chain name belongs to the controller (e.g. the KUBE-POD-FW- prefix).
using ChainOwnership = std::function<bool(std::string_view chain)>;

struct FilterPlanOptions {
  // Split the change into a `document` that only adds rules and chains and a `cleanup` that
  // removes what is left over. The nf_tables backend pays for removals: a rule is deleted by
  // position, which iptables-nft-restore resolves by fetching the rules of every chain the
  // document edits, and a tool that exits after deleting waits one RCU grace period (~10 ms at
  // HZ=250) as its netlink socket closes. A changed chain instead gets its new rules inserted
  // ahead of the old ones, followed by `-j RETURN` (what reaching the end of a user chain does
  // anyway), so the old rules are unreachable from the first transaction on and the kernel
  // already behaves as desired; the cleanup deletes them (and stale chains) later without
  // changing behaviour. When that would need more than `max_shadowed_rules` inserted rules in
  // one chain, or a removal cannot be made unreachable (a misplaced pinned rule, a stale chain
  // other software jumps to), the plan is the usual single document with an empty cleanup.
  bool defer_removals = false;
  size_t max_shadowed_rules = 64;
};

struct FilterPlan {
  std::string document;  // complete *filter ... COMMIT document; empty when nothing changes
  std::string cleanup;   // second document (only with defer_removals); empty when none
  size_t chains_created = 0;
  size_t chains_rewritten = 0;
  size_t chains_edited = 0;
  size_t chains_deleted = 0;
  size_t rule_lines = 0;  // -A/-I/-D lines in the document and the cleanup
  bool empty() const { return document.empty() && cleanup.empty(); }
};

FilterPlan plan_filter(const DesiredFilter& desired, const FilterTable& current,
                       const ChainOwnership& owned, const FilterPlanOptions& options = {});

// What the kernel holds right after `desired` was applied successfully (cleanup included): the
// owned chains, plus the built-in chains holding just the pinned rules. Planning against it again
// yields nothing, which lets a controller skip iptables-save between full resyncs.
FilterTable expected_table(const DesiredFilter& desired);

}  // namespace kr::netfilter
