// Which iptables backend the node uses, decided the way kube-router's image decides it (the
// kubernetes-sigs iptables-wrapper script selects the binaries at container start): rules must
// go where the node's other software (kubelet, kube-proxy, the CNI) put theirs, or the position
// of our jumps relative to theirs would be meaningless.
#pragma once

#include <string>
#include <string_view>

#include "kernel/netfilter/iptables.h"

namespace kr::netfilter {

// What the detection looks at; each string is a tool's output ("" when it failed).
struct BackendEvidence {
  std::string nft_mangle_v4;  // iptables-nft-save -t mangle
  std::string nft_mangle_v6;  // ip6tables-nft-save -t mangle
  std::string legacy_v4;      // iptables-legacy-save (all tables: -t would create the table)
  std::string legacy_v6;      // ip6tables-legacy-save
  std::string nft_v4;         // iptables-nft-save
  std::string nft_v6;         // ip6tables-nft-save
};

// 1. kubelet's KUBE-IPTABLES-HINT or KUBE-KUBELET-CANARY chain in the nft mangle tables -> nft;
// 2. the same chains in the legacy tables -> legacy;
// 3. otherwise (no kubelet hint: a bare node, a test namespace) the backend holding more rules,
//    as the wrapper did before kubelet's hint existed; ties go to nft.
IptablesBackend choose_backend(const BackendEvidence& evidence);

// Gathers the evidence by running the save tools (in `netns_path` if given) and chooses.
IptablesBackend detect_backend(const std::string& netns_path = {});

}  // namespace kr::netfilter
