#include "bare_tools.h"

#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <future>
#include <stdexcept>

#include "controllers/netpol/names.h"
#include "controllers/netpol/static_chains.h"
#include "kernel/netfilter/command.h"

namespace kr::netpol::bench {
namespace {

using Clock = std::chrono::steady_clock;

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// Restore input taking the kernel from `from` to `to` (both as this program left it).
struct Documents {
  std::string ipsets;
  std::array<std::string, 2> filter;
  std::array<std::string, 2> cleanup;  // nft: removals the applier makes after "programmed"
};

Documents plan_change(netfilter::IptablesBackend backend, const DesiredState* from,
                      const DesiredState& to) {
  Documents docs;
  for (const Family f : netfilter::kFamilies) {
    const auto& want = to.family(f);
    if (!want) continue;
    netfilter::IpsetTable sets;
    netfilter::FilterTable table;
    if (from && from->family(f)) {
      sets = netfilter::expected_ipsets(from->family(f)->ipsets);
      table = netfilter::expected_table(from->family(f)->filter);
    }
    docs.ipsets += netfilter::plan_ipsets(want->ipsets, sets, f, is_firewall_ipset,
                                          swap_set_name(f), {.edit_ip_sets = true})
                       .update_script;
    // The applier's plan: on nft, what the change adds now and the removals after.
    const netfilter::FilterPlan plan =
        netfilter::plan_filter(want->filter, table, is_firewall_chain,
                               {.defer_removals = backend == netfilter::IptablesBackend::kNft});
    docs.filter[static_cast<int>(f)] = plan.document;
    docs.cleanup[static_cast<int>(f)] = plan.cleanup;
  }
  return docs;
}

void restore(netfilter::IptablesBackend backend, const std::string& ipsets,
             const std::array<std::string, 2>& filter, const std::string& netns,
             bool side_by_side) {
  if (!ipsets.empty()) {
    Namespace::check({"ipset", "restore", "-exist"}, ipsets, netns);
  }
  std::vector<std::future<void>> runs;
  for (const Family f : netfilter::kFamilies) {
    const std::string& document = filter[static_cast<int>(f)];
    if (document.empty()) continue;
    auto run = [&, f] {
      Namespace::check({netfilter::backend_tool(backend, f, "restore"), "--noflush", "--wait"},
                       document, netns);
    };
    runs.push_back(std::async(side_by_side ? std::launch::async : std::launch::deferred, run));
  }
  for (auto& r : runs) r.get();
}

}  // namespace

Namespace::Namespace() {
  static int counter = 0;
  name_ = fmt::format("kr-bench-{}-{}", getpid(), counter++);
  check({"ip", "netns", "add", name_});
  check({"ip", "-n", name_, "link", "set", "lo", "up"});
}

Namespace::~Namespace() { netfilter::run_command({"ip", "netns", "delete", name_}, {}); }

void Namespace::check(const std::vector<std::string>& argv, std::string_view input,
                      const std::string& netns) {
  const auto r = netfilter::run_command(argv, {.stdin_data = input, .netns_path = netns});
  if (!r.ok()) throw std::runtime_error(netfilter::describe_failure(argv, r));
}

double time_bare_load(netfilter::IptablesBackend backend, const DesiredState& desired,
                      const std::string& dump_dir) {
  // Planned against an empty kernel without deferral: declarations and appends only.
  const Documents docs = plan_change(netfilter::IptablesBackend::kLegacy, nullptr, desired);
  if (!dump_dir.empty()) {
    // The inputs, to inspect or replay them by hand.
    const auto dump = [&](const std::string& name, const std::string& text) {
      std::FILE* f = std::fopen((dump_dir + "/" + name).c_str(), "w");
      if (!f) return;
      std::fputs(text.c_str(), f);
      std::fclose(f);
    };
    dump("ipset.restore", docs.ipsets);
    for (const Family f : netfilter::kFamilies) {
      dump(fmt::format("{}.restore", family_name(f)), docs.filter[static_cast<int>(f)]);
    }
  }
  Namespace ns;
  const auto t0 = Clock::now();
  restore(backend, docs.ipsets, docs.filter, ns.path(), /*side_by_side=*/false);
  return ms(Clock::now() - t0);
}

std::vector<double> time_bare_change(netfilter::IptablesBackend backend, const DesiredState& before,
                                     const DesiredState& after, int repeats) {
  const Documents load = plan_change(netfilter::IptablesBackend::kLegacy, nullptr, before);
  const Documents change = plan_change(backend, &before, after);
  const Documents undo = plan_change(netfilter::IptablesBackend::kLegacy, &after, before);
  Namespace ns;
  restore(backend, load.ipsets, load.filter, ns.path(), false);
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) {
    const auto t0 = Clock::now();
    restore(backend, change.ipsets, change.filter, ns.path(), /*side_by_side=*/true);
    times.push_back(ms(Clock::now() - t0));
    restore(backend, "", change.cleanup, ns.path(), false);
    restore(backend, undo.ipsets, undo.filter, ns.path(), false);
  }
  return times;
}

}  // namespace kr::netpol::bench
