#include "controllers/proxy/proxy_firewall.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "base/log.h"
#include "controllers/proxy/names.h"
#include "controllers/proxy/rule_text.h"
#include "fmt/format.h"
#include "kernel/netfilter/command.h"

namespace kr::proxy {
namespace {

netfilter::Family nf(Family f) {
  return f == Family::kIPv4 ? netfilter::Family::kIPv4 : netfilter::Family::kIPv6;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Scratch set for swaps; ipset names are at most 31 characters.
std::string temp_set(Family f) { return set_name("kube-router-proxy-tmp", f); }

bool is_proxy_set(std::string_view name, Family f) {
  return name == set_name(kLocalIpsSet, f) || name == set_name(kServiceIpsSet, f) ||
         name == set_name(kServicePortsSet, f) || name == temp_set(f);
}

std::vector<std::string> sorted_texts(const std::vector<IpAddress>& ips) {
  std::vector<std::string> out;
  out.reserve(ips.size());
  for (const IpAddress& ip : ips) out.push_back(ip.to_string());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string document(std::string_view table, const std::string& declarations,
                     const std::string& body) {
  if (declarations.empty() && body.empty()) {
    return {};
  }
  return fmt::format("*{}\n{}{}COMMIT\n", table, declarations, body);
}

netfilter::CommandResult run(const std::vector<std::string>& argv, const std::string& netns,
                             std::string_view input = {}) {
  return netfilter::run_command(argv, {.stdin_data = input, .netns_path = netns});
}

}  // namespace

netfilter::FilterTable parse_saved_table(std::string_view save_output, std::string_view table) {
  netfilter::FilterTable out;
  std::string_view text = save_output;  // what is left to read
  bool inside = false;
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    const std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    if (line.starts_with('*')) {
      inside = line.substr(1) == table;
    } else if (!inside) {
      continue;
    } else if (line == "COMMIT") {
      inside = false;
    } else if (line.starts_with(':')) {
      out.add_chain(std::string(line.substr(1, line.find(' ') - 1)));
    } else if (line.starts_with("-A ")) {
      const std::string_view rest = line.substr(3);
      const size_t space = rest.find(' ');
      const std::string chain(rest.substr(0, space));
      if (!out.has_chain(chain)) out.add_chain(chain);
      out.rules[chain].edit().emplace_back(
          space == std::string_view::npos ? "" : rest.substr(space + 1));
    }
  }
  return out;
}

std::string plan_nat(const netfilter::FilterTable& current, const std::vector<std::string>& masq,
                     const std::vector<std::string>& hairpin_rules) {
  std::string declarations;
  std::string body;
  std::string removals;
  const auto& post = current.chain("POSTROUTING");
  for (const std::string& rule : masq) {
    if (!contains(post, rule)) {
      fmt::format_to(std::back_inserter(body), "-A POSTROUTING {}\n", written_form(rule));
    }
  }
  for (const std::string& rule : post) {
    if (is_masquerade_rule(rule) && !contains(masq, rule)) {
      fmt::format_to(std::back_inserter(body), "-D POSTROUTING {}\n", written_form(rule));
    }
  }
  const std::string jump = hairpin_jump_rule();
  const std::string chain(kHairpinChain);
  if (!hairpin_rules.empty()) {
    if (!current.has_chain(chain) || current.chain(chain) != hairpin_rules) {
      fmt::format_to(std::back_inserter(declarations), ":{} - [0:0]\n", chain);
      for (const std::string& rule : hairpin_rules) {
        fmt::format_to(std::back_inserter(body), "-A {} {}\n", chain, rule);
      }
    }
    if (!contains(post, jump)) {
      fmt::format_to(std::back_inserter(body), "-A POSTROUTING {}\n", jump);
    }
  } else {
    for (const std::string& rule : post) {
      if (rule == jump) fmt::format_to(std::back_inserter(removals), "-D POSTROUTING {}\n", jump);
    }
    if (current.has_chain(chain)) {
      fmt::format_to(std::back_inserter(removals), "-F {0}\n-X {0}\n", chain);
    }
  }
  return document("nat", declarations, body + removals);
}

std::string plan_services_filter(const netfilter::FilterTable& current,
                                 const FamilyNodeState& node) {
  std::string declarations;
  std::string body;
  const std::string chain(kServicesChain);
  if (!current.has_chain(chain) || current.chain(chain) != node.services_chain) {
    fmt::format_to(std::back_inserter(declarations), ":{} - [0:0]\n", chain);
    for (const std::string& rule : node.services_chain) {
      fmt::format_to(std::back_inserter(body), "-A {} {}\n", chain, rule);
    }
  }
  if (node.services_jump && !contains(current.chain("INPUT"), *node.services_jump)) {
    fmt::format_to(std::back_inserter(body), "-I INPUT 1 {}\n", *node.services_jump);
  }
  return document("filter", declarations, body);
}

NetfilterFirewall::NetfilterFirewall(netfilter::IptablesBackend backend, std::string netns_path)
    : backend_(backend),
      netns_path_(std::move(netns_path)),
      ipset_(netfilter::make_ipset(netns_path_)) {}

std::string NetfilterFirewall::save(Family family, std::string_view table) {
  std::vector<std::string> argv = {netfilter::backend_tool(backend_, nf(family), "save")};
  // Legacy: -t would create the table in a kernel that does not use it; without -t only
  // existing tables are printed.
  if (backend_ == netfilter::IptablesBackend::kNft) {
    argv.insert(argv.end(), {"-t", std::string(table)});
  }
  auto result = run(argv, netns_path_);
  if (!result.ok()) throw netfilter::NetfilterError(netfilter::describe_failure(argv, result));
  return std::move(result.out);
}

void NetfilterFirewall::restore(Family family, std::string_view /*table*/, const std::string& doc) {
  const std::vector<std::string> argv = {netfilter::backend_tool(backend_, nf(family), "restore"),
                                         "--noflush", "--wait"};
  const auto result = run(argv, netns_path_, doc);
  if (!result.ok()) throw netfilter::NetfilterError(netfilter::describe_failure(argv, result));
}

void NetfilterFirewall::sync_sets(Family family, const FamilyNodeState& node,
                                  const ServiceSets& sets, bool read_kernel) {
  netfilter::DesiredIpsets desired;
  const auto f = nf(family);
  desired[set_name(kLocalIpsSet, family)] = {"hash:ip", f, sorted_texts(node.local_ips)};
  desired[set_name(kServiceIpsSet, family)] = {"hash:ip", f, sets.ips};
  desired[set_name(kServicePortsSet, family)] = {"hash:ip,port", f, sets.ports};
  if (read_kernel || !known_sets_) {
    known_sets_ = netfilter::parse_ipset_save(ipset_->save());
  }
  auto current = std::move(*known_sets_);
  known_sets_.reset();  // restored only on success
  const auto plan = netfilter::plan_ipsets(
      desired, current, f, [&](std::string_view name) { return is_proxy_set(name, family); },
      temp_set(family));
  ipset_->restore(plan.update_script);
  for (auto& [name, state] : netfilter::expected_ipsets(desired)) {
    current[name] = std::move(state);
  }
  known_sets_ = std::move(current);
}

void NetfilterFirewall::sync_filter(Family family, const FamilyNodeState& node) {
  const auto current = parse_saved_table(save(family, "filter"), "filter");
  const std::string doc = plan_services_filter(current, node);
  if (!doc.empty()) {
    restore(family, "filter", doc);
  }
}

void NetfilterFirewall::sync_nat(Family family, const FamilyNodeState& node,
                                 const std::vector<std::string>& hairpin_rules, bool read_kernel) {
  auto& known = known_nat_[static_cast<int>(family)];
  if (read_kernel || !known) {
    known = parse_saved_table(save(family, "nat"), "nat");
  }
  auto current = std::move(*known);
  known.reset();
  const std::string doc = plan_nat(current, node.masquerade, hairpin_rules);
  if (!doc.empty()) {
    restore(family, "nat", doc);
  }
  // What the table holds now, as far as our rules go (the others are kept as read).
  auto& post = current.rules["POSTROUTING"].edit();
  std::erase_if(post, [&](const std::string& r) {
    return (is_masquerade_rule(r) && !contains(node.masquerade, r)) || r == hairpin_jump_rule();
  });
  for (const std::string& r : node.masquerade) {
    if (!contains(post, r)) post.push_back(r);
  }
  const std::string chain(kHairpinChain);
  current.rules.erase(chain);
  std::erase(current.chain_names, chain);
  if (!hairpin_rules.empty()) {
    post.push_back(hairpin_jump_rule());
    current.add_chain(chain, hairpin_rules);
  }
  known = std::move(current);
}

namespace {

// Removes our rules and chains from one table of one family and backend; the document is built
// from what is there, so rules other software added are never touched.
bool cleanup_table(netfilter::IptablesBackend backend, Family family, std::string_view table,
                   const std::string& netns) {
  const std::string save_tool = netfilter::backend_tool(backend, nf(family), "save");
  std::vector<std::string> argv = {save_tool};
  if (backend == netfilter::IptablesBackend::kNft) {
    argv.insert(argv.end(), {"-t", std::string(table)});
  }
  const auto saved = run(argv, netns);
  if (!saved.ok()) {
    KR_V(1, "cleanup: {} unavailable: {}", save_tool, netfilter::describe_failure(argv, saved));
    return true;  // no such backend or family here: nothing of ours in it
  }
  const auto current = parse_saved_table(saved.out, table);
  std::string body;
  const bool nat = table == "nat";
  const std::string chain(nat ? kHairpinChain : kServicesChain);
  for (const std::string& rule : current.chain(nat ? "POSTROUTING" : "INPUT")) {
    const bool ours = nat ? (rule == hairpin_jump_rule() || is_masquerade_rule(rule))
                          : rule == services_jump_rule(family);
    if (ours) {
      fmt::format_to(std::back_inserter(body), "-D {} {}\n", nat ? "POSTROUTING" : "INPUT",
                     written_form(rule));
    }
  }
  if (current.has_chain(chain)) fmt::format_to(std::back_inserter(body), "-F {0}\n-X {0}\n", chain);
  if (body.empty()) return true;
  const std::vector<std::string> restore = {netfilter::backend_tool(backend, nf(family), "restore"),
                                            "--noflush", "--wait"};
  const auto result = run(restore, netns, document(table, "", body));
  if (!result.ok()) {
    KR_ERROR("cleanup: {}", netfilter::describe_failure(restore, result));
    return false;
  }
  return true;
}

}  // namespace

bool cleanup_proxy_netfilter(const std::string& netns_path) {
  bool ok = true;
  for (const auto backend :
       {netfilter::IptablesBackend::kLegacy, netfilter::IptablesBackend::kNft}) {
    for (const Family family : kBothFamilies) {
      ok = cleanup_table(backend, family, "filter", netns_path) && ok;
      ok = cleanup_table(backend, family, "nat", netns_path) && ok;
    }
  }
  auto ipset = netfilter::make_ipset(netns_path);
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::string script;
    try {
      for (const auto& [name, state] : netfilter::parse_ipset_save(ipset->save())) {
        if (is_proxy_set(name, Family::kIPv4) || is_proxy_set(name, Family::kIPv6)) {
          fmt::format_to(std::back_inserter(script), "destroy {}\n", name);
        }
      }
      ipset->restore(script);
      return ok;
    } catch (const netfilter::NetfilterError& e) {
      // A rule removed a moment ago may still hold a reference (upstream waits 1 s too).
      if (attempt == 1) {
        KR_ERROR("cleanup: destroying the proxy's ipsets: {}", e.what());
      } else {
        std::this_thread::sleep_for(std::chrono::seconds(1));
      }
    }
  }
  return false;
}

}  // namespace kr::proxy
