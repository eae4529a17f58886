// The real Iptables and Ipset: each call is one run of the backend's tool.
#include <fmt/format.h>

#include "kernel/netfilter/command.h"
#include "kernel/netfilter/ipset.h"
#include "kernel/netfilter/iptables.h"

namespace kr::netfilter {
namespace {

std::string run_or_throw(const std::vector<std::string>& argv, const CommandOptions& options) {
  CommandResult result = run_command(argv, options);
  if (!result.ok()) {
    throw NetfilterError(describe_failure(argv, result));
  }
  return std::move(result.out);
}

class IptablesTools final : public Iptables {
 public:
  IptablesTools(IptablesBackend backend, std::string netns_path)
      : backend_(backend), netns_path_(std::move(netns_path)) {}

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
    run_or_throw({backend_tool(backend_, family, "restore"), "--noflush", "--wait"},
                 {.stdin_data = document, .netns_path = netns_path_});
  }

 private:
  const IptablesBackend backend_;
  const std::string netns_path_;
};

class IpsetTool final : public Ipset {
 public:
  explicit IpsetTool(std::string netns_path) : netns_path_(std::move(netns_path)) {}

  std::string save() override {
    return run_or_throw({"ipset", "save"}, {.netns_path = netns_path_});
  }

  void restore(std::string_view script) override {
    if (script.empty()) {
      return;
    }
    run_or_throw({"ipset", "restore", "-exist"}, {.stdin_data = script, .netns_path = netns_path_});
  }

 private:
  const std::string netns_path_;
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
