#include "kernel/netfilter/filter_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

namespace kr::netfilter {
namespace {

struct Sections {
  std::string declarations;  // ":CHAIN - [0:0]" lines: create, or flush when it exists
  std::string flushes;       // -F of chains about to be deleted
  std::string body;          // -A / -D / -I lines
  std::string deletions;     // -X, after every reference is gone
};

void append_rule(std::string& out, std::string_view verb, std::string_view chain,
                 std::string_view rule) {
  fmt::format_to(std::back_inserter(out), "{} {}{}{}\n", verb, chain, rule.empty() ? "" : " ",
                 rule);
}

void plan_chain(const std::string& name, const std::vector<std::string>& want,
                const FilterTable& current, Sections& out, FilterPlan& plan) {
  const auto fill = [&] {
    fmt::format_to(std::back_inserter(out.declarations), ":{} - [0:0]\n", name);
    for (const std::string& rule : want) {
      append_rule(out.body, "-A", name, rule);
    }
    plan.rule_lines += want.size();
  };
  if (!current.has_chain(name)) {
    fill();
    ++plan.chains_created;
    return;
  }
  const std::vector<std::string>& have = current.chain(name);
  if (have == want) {
    return;
  }
  const size_t limit = std::min(have.size(), want.size());
  size_t prefix = 0;
  while (prefix < limit && have[prefix] == want[prefix]) {
    ++prefix;
  }
  size_t suffix = 0;
  while (suffix < limit - prefix &&
         have[have.size() - 1 - suffix] == want[want.size() - 1 - suffix]) {
    ++suffix;
  }
  const size_t deletes = have.size() - prefix - suffix;
  const size_t inserts = want.size() - prefix - suffix;
  if (want.size() <= deletes + inserts) {
    fill();
    ++plan.chains_rewritten;
    return;
  }
  // Positions are 1-based; deleting at prefix+1 repeatedly removes the changed middle.
  const std::string at = std::to_string(prefix + 1);
  for (size_t i = 0; i < deletes; ++i) {
    append_rule(out.body, "-D", name, at);
  }
  for (size_t i = 0; i < inserts; ++i) {
    append_rule(out.body, "-I", name, fmt::format("{} {}", prefix + 1 + i, want[prefix + i]));
  }
  plan.rule_lines += deletes + inserts;
  ++plan.chains_edited;
}

void plan_pinned(const PinnedRule& pin, const FilterTable& current, Sections& out,
                 FilterPlan& plan) {
  const std::vector<std::string>& have = current.chain(pin.chain);
  const auto copies = static_cast<size_t>(std::count(have.begin(), have.end(), pin.rule));
  if (!have.empty() && have.front() == pin.rule && copies == 1) {
    return;
  }
  // Delete by rule text (first match each time), then insert at the top: both in the same
  // transaction, so the jump is never missing.
  for (size_t i = 0; i < copies; ++i) {
    append_rule(out.body, "-D", pin.chain, pin.rule);
  }
  append_rule(out.body, "-I", pin.chain, "1 " + pin.rule);
  plan.rule_lines += copies + 1;
}

}  // namespace

FilterPlan plan_filter(const DesiredFilter& desired, const FilterTable& current,
                       const ChainOwnership& owned) {
  FilterPlan plan;
  Sections out;
  for (const auto& [name, rules] : desired.chains) {
    plan_chain(name, rules, current, out, plan);
  }
  for (const PinnedRule& pin : desired.pinned) {
    plan_pinned(pin, current, out, plan);
  }

  // Chains other software's rules jump to: deleting one of ours would fail the whole restore.
  std::unordered_set<std::string_view> foreign_targets;
  for (const std::string& chain : current.chain_names) {
    if (!owned(chain)) {
      for (const std::string& rule : current.chain(chain)) {
        foreign_targets.insert(rule_target(rule));
      }
    }
  }
  for (const std::string& name : current.chain_names) {
    if (!owned(name) || desired.chains.contains(name)) {
      continue;
    }
    if (!current.chain(name).empty()) {
      fmt::format_to(std::back_inserter(out.flushes), "-F {}\n", name);
    }
    if (!foreign_targets.contains(name)) {
      fmt::format_to(std::back_inserter(out.deletions), "-X {}\n", name);
      ++plan.chains_deleted;
    }
  }

  if (out.declarations.empty() && out.flushes.empty() && out.body.empty() &&
      out.deletions.empty()) {
    return plan;
  }
  plan.document.reserve(out.declarations.size() + out.flushes.size() + out.body.size() +
                        out.deletions.size() + 16);
  plan.document += "*filter\n";
  plan.document += out.declarations;
  plan.document += out.flushes;
  plan.document += out.body;
  plan.document += out.deletions;
  plan.document += "COMMIT\n";
  return plan;
}

FilterTable expected_table(const DesiredFilter& desired) {
  FilterTable table;
  for (const PinnedRule& pin : desired.pinned) {
    table.add_chain(pin.chain);
    auto& rules = table.rules[pin.chain];
    rules.insert(rules.begin(), pin.rule);
  }
  for (const auto& [name, rules] : desired.chains) {
    table.add_chain(name, rules);
  }
  return table;
}

}  // namespace kr::netfilter
