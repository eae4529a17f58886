#include "kernel/netfilter/backend_detect.h"

#include <gtest/gtest.h>

namespace kr::netfilter {
namespace {

constexpr std::string_view kHint =
    "*mangle\n:PREROUTING ACCEPT [0:0]\n:KUBE-IPTABLES-HINT - [0:0]\nCOMMIT\n";

TEST(BackendDetect, KubeletHintInNftWins) {
  BackendEvidence e;
  e.nft_mangle_v6 = kHint;
  e.legacy_v4 = "*filter\n-A INPUT -j A\n-A INPUT -j B\n";
  EXPECT_EQ(choose_backend(e), IptablesBackend::kNft);
}

TEST(BackendDetect, KubeletHintInLegacy) {
  BackendEvidence e;
  e.legacy_v4 = std::string(kHint);
  e.nft_v4 = "*filter\n-A INPUT -j A\n";
  EXPECT_EQ(choose_backend(e), IptablesBackend::kLegacy);
}

TEST(BackendDetect, WithoutHintTheBackendWithMoreRules) {
  BackendEvidence e;
  e.legacy_v4 = "*filter\n-A INPUT -j A\n-A INPUT -j B\n";
  e.nft_v4 = "*filter\n-A INPUT -j A\n";
  EXPECT_EQ(choose_backend(e), IptablesBackend::kLegacy);
  e.nft_v6 = "*filter\n-A INPUT -j A\n-A INPUT -j C\n";
  EXPECT_EQ(choose_backend(e), IptablesBackend::kNft);
  EXPECT_EQ(choose_backend({}), IptablesBackend::kNft) << "nothing anywhere: nft";
}

TEST(BackendDetect, ChainNamesOnlyCountAsDeclarations) {
  BackendEvidence e;
  e.legacy_v4 = "*filter\n-A INPUT -m comment --comment \":KUBE-IPTABLES-HINT \" -j A\n";
  EXPECT_EQ(choose_backend(e), IptablesBackend::kLegacy) << "more rules, not the hint";
  e.nft_v4 = "*filter\n-A INPUT -j A\n-A INPUT -j B\n";
  EXPECT_EQ(choose_backend(e), IptablesBackend::kNft);
}

}  // namespace
}  // namespace kr::netfilter
