// The real Iptables and Ipset: the backend's tools, run once per call, except that iptables
// restores go to one long-running iptables-restore per family (restore_session.h), which on
// the legacy backend run under one xtables lock held by this process (xtables_lock.h), and
// that each ipset restore finds its tool already started (prestarted_tool.h).
#include <fmt/format.h>

#include <array>
#include <memory>
#include <optional>

#include "kernel/netfilter/command.h"
#include "kernel/netfilter/ipset.h"
#include "kernel/netfilter/iptables.h"
#include "kernel/netfilter/prestarted_tool.h"
#include "kernel/netfilter/restore_session.h"
#include "kernel/netfilter/xtables_lock.h"

namespace kr::netfilter {
namespace {

// What the run of argv printed; throws when it failed.
std::string output_or_throw(const std::vector<std::string>& argv, CommandResult result) {
  if (!result.ok()) {
    throw NetfilterError(describe_failure(argv, result));
  }
  return std::move(result.out);
}

std::string run_or_throw(const std::vector<std::string>& argv, const CommandOptions& options) {
  return output_or_throw(argv, run_command(argv, options));
}

class IptablesTools final : public Iptables {
 public:
  IptablesTools(IptablesBackend backend, std::string netns_path)
      : backend_(backend), netns_path_(std::move(netns_path)) {
    for (const Family f : kFamilies) {
      std::vector<std::string> env;
      if (backend_ == IptablesBackend::kLegacy) env.push_back(lock_.private_lock_env(f));
      restores_[static_cast<int>(f)] = std::make_unique<RestoreSession>(
          std::vector<std::string>{backend_tool(backend_, f, "restore"), "--noflush", "--verbose",
                                   "--wait"},
          netns_path_, std::move(env));
    }
  }

  IptablesBackend backend() const override { return backend_; }

  std::string save_filter(Family family) override {
    // iptables-legacy-save -t filter would load the legacy filter table into a kernel that
    // does not use it (and make every nft user see "legacy tables present"); without -t it
    // only prints tables that exist. The caller picks the *filter section.
    std::vector<std::string> argv = {backend_tool(backend_, family, "save")};
    if (backend_ == IptablesBackend::kNft) {
      argv.insert(argv.end(), {"-t", "filter"});
    }
    return run_or_throw(argv, {.netns_path = netns_path_});
  }

  void restore_filter(Family family, std::string_view document) override {
    // nf_tables commits are transactions checked against the table's generation: no lock.
    std::optional<XtablesLock::Hold> hold;
    if (backend_ == IptablesBackend::kLegacy) hold.emplace(lock_);
    restores_[static_cast<int>(family)]->apply(document);
  }

  void settle_removals() override {
    if (backend_ != IptablesBackend::kNft) return;
    for (auto& session : restores_) session->end();  // the next restore starts a new tool
  }

 private:
  const IptablesBackend backend_;
  const std::string netns_path_;
  XtablesLock lock_;
  std::array<std::unique_ptr<RestoreSession>, 2> restores_;
};

class IpsetTool final : public Ipset {
 public:
  explicit IpsetTool(std::string netns_path)
      : netns_path_(std::move(netns_path)), restore_({"ipset", "restore", "-exist"}, netns_path_) {}

  std::string save() override {
    return run_or_throw({"ipset", "save"}, {.netns_path = netns_path_});
  }

  void restore(std::string_view script) override {
    if (script.empty()) {
      return;
    }
    output_or_throw(restore_.argv(), restore_.run(script));
  }

 private:
  const std::string netns_path_;
  PrestartedTool restore_;
};

}  // namespace

std::string_view backend_name(IptablesBackend backend) {
  return backend == IptablesBackend::kLegacy ? "legacy" : "nft";
}

std::string backend_tool(IptablesBackend backend, Family family, std::string_view verb) {
  return fmt::format("{}-{}-{}", family == Family::kIPv4 ? "iptables" : "ip6tables",
                     backend_name(backend), verb);
}

std::unique_ptr<Iptables> make_iptables(IptablesBackend backend, std::string netns_path) {
  return std::make_unique<IptablesTools>(backend, std::move(netns_path));
}

std::unique_ptr<Ipset> make_ipset(std::string netns_path) {
  return std::make_unique<IpsetTool>(std::move(netns_path));
}

}  // namespace kr::netfilter
