#include "kernel/netfilter/filter_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <span>
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

// Declares chain `name` and appends its rules: how a chain that does not exist yet is written.
void append_new_chain(const std::string& name, const StringList& want, Sections& out,
                      FilterPlan& plan) {
  fmt::format_to(std::back_inserter(out.declarations), ":{} - [0:0]\n", name);
  for (const std::string& rule : want) {
    append_rule(out.body, "-A", name, rule);
  }
  plan.rule_lines += want.size();
}

// How many rules `have` and `want` share at their start (none when `keep_prefix` is false)
// and, after that, at their end.
struct CommonEnds {
  size_t prefix = 0;
  size_t suffix = 0;
};

CommonEnds common_ends(const std::vector<std::string>& have, const std::vector<std::string>& want,
                       bool keep_prefix = true) {
  const size_t limit = std::min(have.size(), want.size());
  CommonEnds ends;
  while (keep_prefix && ends.prefix < limit && have[ends.prefix] == want[ends.prefix]) {
    ++ends.prefix;
  }
  while (ends.suffix < limit - ends.prefix &&
         have[have.size() - 1 - ends.suffix] == want[want.size() - 1 - ends.suffix]) {
    ++ends.suffix;
  }
  return ends;
}

// Inserts `rules` so that they end up at positions first+1, first+2, ... of the chain. Rules for
// the head of a chain go in reverse order at position 1: iptables-nft resolves any other position
// by fetching the chain's rules from the kernel first, which costs milliseconds on a long chain.
void append_inserts(std::string& out, const std::string& name, std::span<const std::string> rules,
                    size_t first) {
  if (first == 0) {
    for (size_t i = rules.size(); i-- > 0;) {
      append_rule(out, "-I", name, fmt::format("1 {}", rules[i]));
    }
    return;
  }
  for (size_t i = 0; i < rules.size(); ++i) {
    append_rule(out, "-I", name, fmt::format("{} {}", first + i + 1, rules[i]));
  }
}

void plan_chain(const std::string& name, const StringList& want, const FilterTable& current,
                Sections& out, FilterPlan& plan) {
  if (!current.has_chain(name)) {
    append_new_chain(name, want, out, plan);
    ++plan.chains_created;
    return;
  }
  const StringList& have = current.chain(name);
  if (have == want) {
    return;
  }
  const auto [prefix, suffix] = common_ends(have, want);
  const size_t deletes = have.size() - prefix - suffix;
  const size_t inserts = want.size() - prefix - suffix;
  if (want.size() <= deletes + inserts) {
    append_new_chain(name, want, out, plan);
    ++plan.chains_rewritten;
    return;
  }
  // Positions are 1-based; deleting at prefix+1 repeatedly removes the changed middle.
  const std::string at = std::to_string(prefix + 1);
  for (size_t i = 0; i < deletes; ++i) {
    append_rule(out.body, "-D", name, at);
  }
  append_inserts(out.body, name, std::span(want.items()).subspan(prefix, inserts), prefix);
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

// Chains other software's rules jump to: deleting one of ours would fail the whole restore.
std::unordered_set<std::string_view> foreign_targets(const FilterTable& current,
                                                     const ChainOwnership& owned) {
  std::unordered_set<std::string_view> targets;
  for (const std::string& chain : current.chain_names) {
    if (!owned(chain)) {
      for (const std::string& rule : current.chain(chain)) {
        targets.insert(rule_target(rule));
      }
    }
  }
  return targets;
}

// "*filter\n<parts>COMMIT\n", or "" when every part is empty.
std::string assemble(std::initializer_list<const std::string*> parts) {
  size_t size = 0;
  for (const std::string* part : parts) size += part->size();
  if (size == 0) {
    return {};
  }
  std::string document;
  document.reserve(size + 16);
  document += "*filter\n";
  for (const std::string* part : parts) document += *part;
  document += "COMMIT\n";
  return document;
}

FilterPlan plan_at_once(const DesiredFilter& desired, const FilterTable& current,
                        const ChainOwnership& owned) {
  FilterPlan plan;
  Sections out;
  for (const auto& [name, rules] : desired.chains) {
    plan_chain(name, rules, current, out, plan);
  }
  for (const PinnedRule& pin : desired.pinned) {
    plan_pinned(pin, current, out, plan);
  }
  const auto foreign = foreign_targets(current, owned);
  for (const std::string& name : current.chain_names) {
    if (!owned(name) || desired.chains.contains(name)) {
      continue;
    }
    if (!current.chain(name).empty()) {
      fmt::format_to(std::back_inserter(out.flushes), "-F {}\n", name);
    }
    if (!foreign.contains(name)) {
      fmt::format_to(std::back_inserter(out.deletions), "-X {}\n", name);
      ++plan.chains_deleted;
    }
  }
  plan.document = assemble({&out.declarations, &out.flushes, &out.body, &out.deletions});
  return plan;
}

// One existing chain that differs from what is wanted.
struct ChainEdit {
  const std::string* name;
  const StringList* have;
  const StringList* want;
  CommonEnds ends;         // the new rules go between the common prefix and suffix
  bool from_head = false;  // rewritten from the head to avoid naming a position
};

// Rules the first document writes for an edit: the additions between the common ends, or
// (when something is removed) every rule from the first difference on plus a RETURN.
size_t lines_now(const ChainEdit& e) {
  const size_t kept = e.ends.prefix + e.ends.suffix;
  return kept == e.have->size() ? e.want->size() - kept : e.want->size() - e.ends.prefix + 1;
}

// How many fetched rules cost iptables-nft-restore as much as one written rule (about 7 and
// 25 us on the lab machine, with chains of 100 to 400 rules).
constexpr size_t kFetchedPerWritten = 4;

// Edits below the head of a chain name a position, and iptables-nft resolves positions from a
// rule cache that it fills, per document, with the rules of every chain the document edits:
// adding one pod's jump at position 5 of KUBE-ROUTER-INPUT also fetches KUBE-ROUTER-FORWARD
// and -OUTPUT. Writing the new content of those chains from the head instead (the old rules
// then sit unreachable below a RETURN until the cleanup) names no position; it is chosen when
// the extra rules it writes cost less than the fetch.
void avoid_positions(std::vector<ChainEdit>& edits) {
  std::vector<ChainEdit> from_head = edits;
  size_t fetched = 0;
  size_t extra = 0;
  for (size_t i = 0; i < edits.size(); ++i) {
    fetched += edits[i].have->size();
    if (edits[i].ends.prefix == 0) continue;
    ChainEdit& head = from_head[i];
    head.ends = common_ends(*head.have, *head.want, /*keep_prefix=*/false);
    head.from_head = true;
    const size_t at_head = lines_now(head);
    const size_t at_position = lines_now(edits[i]);
    extra += at_head > at_position ? at_head - at_position : 0;
  }
  if (extra > 0 && extra * kFetchedPerWritten < fetched) edits = std::move(from_head);
}

// FilterPlanOptions::defer_removals; nullopt when some removal cannot be deferred.
std::optional<FilterPlan> plan_deferred(const DesiredFilter& desired, const FilterTable& current,
                                        const ChainOwnership& owned, size_t max_shadowed) {
  FilterPlan plan;
  Sections now, later;
  std::vector<ChainEdit> edits;
  for (const auto& [name, want] : desired.chains) {
    if (!current.has_chain(name)) {
      append_new_chain(name, want, now, plan);
      ++plan.chains_created;
      continue;
    }
    const StringList& have = current.chain(name);
    if (have == want) {
      continue;
    }
    edits.push_back({&name, &have, &want, common_ends(have, want)});
  }
  avoid_positions(edits);
  for (const ChainEdit& e : edits) {
    const std::string& name = *e.name;
    const StringList& have = *e.have;
    const StringList& want = *e.want;
    const auto [prefix, suffix] = e.ends;
    ++plan.chains_edited;
    if (prefix + suffix == have.size()) {
      // Only additions: they go between the common prefix and suffix, as at once.
      append_inserts(now.body, name,
                     std::span(want.items()).subspan(prefix, want.size() - suffix - prefix),
                     prefix);
      plan.rule_lines += want.size() - suffix - prefix;
      continue;
    }
    // The new rules from the first difference on, then RETURN: the old rules below it are
    // never reached. Afterwards the chain is want + RETURN + have[prefix..].
    if (!e.from_head && want.size() - prefix + 1 > max_shadowed) {
      return std::nullopt;
    }
    std::vector<std::string> shadowing(want.begin() + static_cast<long>(prefix), want.end());
    shadowing.emplace_back("-j RETURN");
    append_inserts(now.body, name, shadowing, prefix);
    const std::string at = std::to_string(want.size() + 1);
    for (size_t i = prefix; i <= have.size(); ++i) {
      append_rule(later.body, "-D", name, at);
    }
    plan.rule_lines += (want.size() - prefix + 1) + (have.size() - prefix + 1);
  }
  for (const PinnedRule& pin : desired.pinned) {
    const std::vector<std::string>& have = current.chain(pin.chain);
    if (!have.empty() && have.front() == pin.rule &&
        std::count(have.begin(), have.end(), pin.rule) == 1) {
      continue;
    }
    if (std::find(have.begin(), have.end(), pin.rule) != have.end()) {
      return std::nullopt;  // a stray copy: deleting it is a removal in a chain not ours
    }
    append_rule(now.body, "-I", pin.chain, "1 " + pin.rule);
    ++plan.rule_lines;
  }
  // A stale chain is unreachable once the rules jumping to it are (they are all in chains we
  // edit above, or in other stale chains), unless other software jumps to it.
  const auto foreign = foreign_targets(current, owned);
  for (const std::string& name : current.chain_names) {
    if (!owned(name) || desired.chains.contains(name)) {
      continue;
    }
    const bool filled = !current.chain(name).empty();
    if (foreign.contains(name)) {
      if (filled) return std::nullopt;
      continue;
    }
    if (filled) {
      fmt::format_to(std::back_inserter(later.flushes), "-F {}\n", name);
    }
    fmt::format_to(std::back_inserter(later.deletions), "-X {}\n", name);
    ++plan.chains_deleted;
  }
  plan.document = assemble({&now.declarations, &now.body});
  plan.cleanup = assemble({&later.flushes, &later.body, &later.deletions});
  return plan;
}

}  // namespace

FilterPlan plan_filter(const DesiredFilter& desired, const FilterTable& current,
                       const ChainOwnership& owned, const FilterPlanOptions& options) {
  if (options.defer_removals) {
    if (auto plan = plan_deferred(desired, current, owned, options.max_shadowed_rules)) {
      return std::move(*plan);
    }
  }
  return plan_at_once(desired, current, owned);
}

FilterTable expected_table(const DesiredFilter& desired) {
  FilterTable table;
  for (const PinnedRule& pin : desired.pinned) {
    table.add_chain(pin.chain);
    auto& rules = table.rules[pin.chain].edit();
    rules.insert(rules.begin(), pin.rule);
  }
  for (const auto& [name, rules] : desired.chains) {
    table.add_chain(name, rules);
  }
  return table;
}

}  // namespace kr::netfilter
