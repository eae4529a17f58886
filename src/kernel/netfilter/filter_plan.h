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
  std::map<std::string, std::vector<std::string>> chains;  // owned chain -> full content
  std::vector<PinnedRule> pinned;
};

// Whether a chain name belongs to the controller (e.g. the KUBE-POD-FW- prefix).
using ChainOwnership = std::function<bool(std::string_view chain)>;

struct FilterPlan {
  std::string document;  // complete *filter ... COMMIT document; empty when nothing changes
  size_t chains_created = 0;
  size_t chains_rewritten = 0;
  size_t chains_edited = 0;
  size_t chains_deleted = 0;
  size_t rule_lines = 0;  // -A/-I/-D lines in the document
  bool empty() const { return document.empty(); }
};

FilterPlan plan_filter(const DesiredFilter& desired, const FilterTable& current,
                       const ChainOwnership& owned);

// What the kernel holds right after `desired` was applied successfully: the owned chains, plus
// the built-in chains holding just the pinned rules. Planning against it again yields nothing,
// which lets a controller skip iptables-save between full resyncs.
FilterTable expected_table(const DesiredFilter& desired);

}  // namespace kr::netfilter
