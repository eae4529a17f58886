#include "kernel/netfilter/backend_detect.h"

#include <regex>

#include "base/log.h"
#include "kernel/netfilter/command.h"

namespace kr::netfilter {
namespace {

bool has_kubelet_chains(std::string_view save_output) {
  static const std::regex kHint("(^|\n):(KUBE-IPTABLES-HINT|KUBE-KUBELET-CANARY) ");
  return std::regex_search(save_output.begin(), save_output.end(), kHint);
}

size_t count_rules(std::string_view save_output) {
  size_t n = save_output.starts_with("-A ") ? 1 : 0;
  for (size_t pos = save_output.find("\n-A "); pos != std::string_view::npos;
       pos = save_output.find("\n-A ", pos + 1)) {
    ++n;
  }
  return n;
}

std::string output_of(std::vector<std::string> argv, const std::string& netns_path) {
  CommandResult result = run_command(argv, {.netns_path = netns_path});
  return result.ok() ? std::move(result.out) : std::string();
}

}  // namespace

IptablesBackend choose_backend(const BackendEvidence& e) {
  if (has_kubelet_chains(e.nft_mangle_v4) || has_kubelet_chains(e.nft_mangle_v6)) {
    return IptablesBackend::kNft;
  }
  if (has_kubelet_chains(e.legacy_v4) || has_kubelet_chains(e.legacy_v6)) {
    return IptablesBackend::kLegacy;
  }
  const size_t legacy = count_rules(e.legacy_v4) + count_rules(e.legacy_v6);
  const size_t nft = count_rules(e.nft_v4) + count_rules(e.nft_v6);
  return legacy > nft ? IptablesBackend::kLegacy : IptablesBackend::kNft;
}

IptablesBackend detect_backend(const std::string& netns_path) {
  BackendEvidence e;
  e.nft_mangle_v4 = output_of({"iptables-nft-save", "-t", "mangle"}, netns_path);
  e.nft_mangle_v6 = output_of({"ip6tables-nft-save", "-t", "mangle"}, netns_path);
  e.legacy_v4 = output_of({"iptables-legacy-save"}, netns_path);
  e.legacy_v6 = output_of({"ip6tables-legacy-save"}, netns_path);
  e.nft_v4 = output_of({"iptables-nft-save"}, netns_path);
  e.nft_v6 = output_of({"ip6tables-nft-save"}, netns_path);
  const IptablesBackend backend = choose_backend(e);
  KR_INFO("using the iptables {} backend", backend_name(backend));
  return backend;
}

}  // namespace kr::netfilter
