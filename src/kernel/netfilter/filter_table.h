// A filter table as iptables-save prints it: chains in declaration order, each with its rules
// as the text after "-A <chain> ". iptables-save prints rules in one canonical form, so rules
// built in that same form (see the round-trip integration test) compare equal as strings.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kernel/netfilter/string_list.h"

namespace kr::netfilter {

struct FilterTable {
  std::vector<std::string> chain_names;               // every chain, built-in ones included
  std::unordered_map<std::string, StringList> rules;  // by chain name

  bool has_chain(std::string_view name) const { return rules.contains(std::string(name)); }
  // The chain's rules; empty for a missing chain.
  const StringList& chain(std::string_view name) const;
  void add_chain(std::string name, StringList chain_rules = {});
};

// Parses the *filter section of iptables-save output; other tables, comments and counters are
// ignored. Rules of an undeclared chain create it (iptables-save never prints those).
FilterTable parse_filter_save(std::string_view save_output);

// The chain a rule jumps or goes to (-j / -g), or "" for none.
std::string_view rule_target(std::string_view rule);

// Quotes a value the way iptables-save does (xtables_save_string): bare when it is made only
// of letters, digits, '_' and '-', else in double quotes with `"`, `'` and `\` escaped.
std::string save_quote(std::string_view value);

}  // namespace kr::netfilter
