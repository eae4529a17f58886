#include "kernel/netfilter/ipset_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace kr::netfilter {
namespace {

std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> words;
  size_t pos = 0;
  while (pos < line.size()) {
    const size_t start = line.find_first_not_of(' ', pos);
    if (start == std::string_view::npos) {
      break;
    }
    const size_t end = std::min(line.find(' ', start), line.size());
    words.push_back(line.substr(start, end - start));
    pos = end;
  }
  return words;
}

// Room for growth without a resize; ipset's default (65536) unless the set is bigger.
size_t max_elements(size_t members) { return std::max<size_t>(65536, members * 2); }

std::string create_line(std::string_view name, std::string_view type, const IpsetSpec& spec) {
  // "timeout 0" as upstream creates its sets, so sets stay swappable with theirs.
  return fmt::format("create {} {} family {} hashsize 1024 maxelem {} timeout 0\n", name, type,
                     ipset_family(spec.family), max_elements(spec.members.size()));
}

void add_members(std::string& out, std::string_view name, const std::vector<std::string>& m) {
  for (const std::string& member : m) {
    fmt::format_to(std::back_inserter(out), "add {} {}\n", name, member);
  }
}

// Appends add lines, then del lines, turning `have` into `want` (both sorted); false, writing
// nothing, when that takes as many lines as refilling the set.
bool edit_members(std::string& out, std::string_view name, const std::vector<std::string>& have,
                  const std::vector<std::string>& want) {
  std::vector<std::string> added, removed;
  std::set_difference(want.begin(), want.end(), have.begin(), have.end(),
                      std::back_inserter(added));
  std::set_difference(have.begin(), have.end(), want.begin(), want.end(),
                      std::back_inserter(removed));
  if (added.size() + removed.size() >= want.size()) {
    return false;
  }
  add_members(out, name, added);
  for (const std::string& member : removed) {
    fmt::format_to(std::back_inserter(out), "del {} {}\n", name, member);
  }
  return true;
}

}  // namespace

IpsetTable parse_ipset_save(std::string_view text) {
  IpsetTable table;
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    const std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    const auto words = split_words(line);
    if (words.size() >= 3 && words[0] == "create") {
      IpsetState& state = table[std::string(words[1])];
      state.type = std::string(words[2]);
      for (size_t i = 3; i + 1 < words.size(); ++i) {
        if (words[i] == "family") {
          state.family = std::string(words[i + 1]);
        }
      }
    } else if (words.size() >= 3 && words[0] == "add") {
      std::string member(words[2]);
      for (size_t i = 3; i < words.size(); ++i) {
        if (words[i] == "timeout" && i + 1 < words.size()) {
          ++i;  // per-entry timeout: not part of the member's identity
          continue;
        }
        member += ' ';
        member += words[i];
      }
      table[std::string(words[1])].members.edit().push_back(std::move(member));
    }
  }
  for (auto& [name, state] : table) {
    std::vector<std::string>& members = state.members.edit();
    std::sort(members.begin(), members.end());
  }
  return table;
}

IpsetPlan plan_ipsets(const DesiredIpsets& desired, const IpsetTable& current, Family family,
                      const IpsetOwnership& owned, std::string_view temp_name,
                      const IpsetPlanOptions& options) {
  IpsetPlan plan;
  bool temp_cleared = false;
  for (const auto& [name, spec] : desired) {
    if (spec.family != family) {
      continue;
    }
    const auto it = current.find(name);
    if (it == current.end()) {
      plan.update_script += create_line(name, spec.type, spec);
      add_members(plan.update_script, name, spec.members);
      ++plan.sets_created;
      continue;
    }
    if (it->second.members == spec.members) {
      continue;
    }
    if (options.edit_ip_sets && it->second.type == "hash:ip" &&
        edit_members(plan.update_script, name, it->second.members, spec.members)) {
      ++plan.sets_edited;
      continue;
    }
    if (!temp_cleared) {
      // A scratch set left by an interrupted run would make "create" fail; -exist makes this
      // a no-op when there is none.
      fmt::format_to(std::back_inserter(plan.update_script), "destroy {}\n", temp_name);
      temp_cleared = true;
    }
    // Swap needs equal types: keep the type the existing set has (a set made by an earlier
    // version may be hash:net where we would now use hash:ip; it holds the same entries).
    plan.update_script += create_line(temp_name, it->second.type, spec);
    add_members(plan.update_script, temp_name, spec.members);
    fmt::format_to(std::back_inserter(plan.update_script), "swap {} {}\ndestroy {}\n", temp_name,
                   name, temp_name);
    ++plan.sets_swapped;
  }
  for (const auto& [name, state] : current) {
    if (!owned(name) || desired.contains(name)) {
      continue;
    }
    if (state.family != ipset_family(family)) {
      continue;
    }
    fmt::format_to(std::back_inserter(plan.destroy_script), "destroy {}\n", name);
    ++plan.sets_destroyed;
  }
  return plan;
}

IpsetTable expected_ipsets(const DesiredIpsets& desired) {
  IpsetTable table;
  for (const auto& [name, spec] : desired) {
    table[name] = IpsetState{spec.type, std::string(ipset_family(spec.family)), spec.members};
  }
  return table;
}

}  // namespace kr::netfilter
