// Restores through the long-running iptables-restore of each family (restore_session.h), on
// both backends: documents apply one after another, a failing one is one transaction that
// changes nothing and is reported by its own line numbers, and a tool that went away is
// replaced; and the sets of deleted rules can be destroyed once the removals are settled.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <string>

#include "kernel/netfilter/filter_table.h"
#include "kernel/netfilter/iptables.h"
#include "support/netns.h"
#include "support/root.h"
#include "support/subprocess.h"
#include "support/wait.h"

namespace kr::netfilter {
namespace {

class RestoreSessionTest : public ::testing::TestWithParam<IptablesBackend> {
 protected:
  void SetUp() override {
    KR_REQUIRE_ROOT_AND_TOOLS("ip", "iptables-legacy-restore", "iptables-nft-restore",
                              "ip6tables-legacy-restore", "ip6tables-nft-restore");
    ns_ = std::make_unique<kr::test::ScopedNetns>();
    iptables_ = make_iptables(GetParam(), "/var/run/netns/" + ns_->name());
  }

  std::vector<std::string> chain(Family family, const std::string& name) {
    return parse_filter_save(iptables_->save_filter(family)).chain(name);
  }

  std::unique_ptr<kr::test::ScopedNetns> ns_;
  std::unique_ptr<Iptables> iptables_;
};

TEST_P(RestoreSessionTest, DocumentsApplyOneAfterAnother) {
  iptables_->restore_filter(Family::kIPv4,
                            "*filter\n:KR-TEST - [0:0]\n-A KR-TEST -j ACCEPT\nCOMMIT\n");
  iptables_->restore_filter(Family::kIPv6,
                            "*filter\n:KR-TEST - [0:0]\n-A KR-TEST -j DROP\nCOMMIT\n");
  iptables_->restore_filter(Family::kIPv4, "*filter\n-I KR-TEST 1 -p tcp -j RETURN\nCOMMIT\n");
  iptables_->restore_filter(Family::kIPv4, "*filter\n-A KR-TEST -p udp -j RETURN\nCOMMIT");
  EXPECT_EQ(chain(Family::kIPv4, "KR-TEST"),
            (std::vector<std::string>{"-p tcp -j RETURN", "-j ACCEPT", "-p udp -j RETURN"}));
  EXPECT_EQ(chain(Family::kIPv6, "KR-TEST"), std::vector<std::string>{"-j DROP"});
}

TEST_P(RestoreSessionTest, AFailingDocumentChangesNothingAndNamesItsOwnLine) {
  iptables_->restore_filter(Family::kIPv4,
                            "*filter\n:KR-TEST - [0:0]\n-A KR-TEST -j ACCEPT\nCOMMIT\n");
  try {
    iptables_->restore_filter(Family::kIPv4,
                              "*filter\n-A KR-TEST -j DROP\n-A KR-TEST -m nosuchmatch\nCOMMIT\n");
    ADD_FAILURE() << "a line the tool rejects must throw";
  } catch (const NetfilterError& e) {
    // "Error occurred at line: 3" for this error, "line 3 failed" for others.
    EXPECT_NE(std::string(e.what()).find("line: 3"), std::string::npos) << e.what();
  }
  EXPECT_EQ(chain(Family::kIPv4, "KR-TEST"), std::vector<std::string>{"-j ACCEPT"})
      << "the document's first rule is not committed either";
  iptables_->restore_filter(Family::kIPv4, "*filter\n-A KR-TEST -j DROP\nCOMMIT\n");
  EXPECT_EQ(chain(Family::kIPv4, "KR-TEST"), (std::vector<std::string>{"-j ACCEPT", "-j DROP"}));
}

TEST_P(RestoreSessionTest, AToolThatWentAwayIsReplaced) {
  iptables_->restore_filter(Family::kIPv4, "*filter\n:KR-TEST - [0:0]\nCOMMIT\n");
  const std::vector<pid_t> tools = ns_->pids();
  ASSERT_EQ(tools.size(), 1u) << "one tool serves the family between documents";
  ::kill(tools[0], SIGKILL);
  ASSERT_TRUE(
      kr::test::wait_until([&] { return kr::test::is_zombie(tools[0]); }, std::chrono::seconds(10)))
      << "the tool ends (its owner reaps it later)";
  iptables_->restore_filter(Family::kIPv4, "*filter\n-A KR-TEST -j ACCEPT\nCOMMIT\n");
  EXPECT_EQ(chain(Family::kIPv4, "KR-TEST"), std::vector<std::string>{"-j ACCEPT"});
}

TEST_P(RestoreSessionTest, TheToolsEndWithTheirOwner) {
  iptables_->restore_filter(Family::kIPv4, "*filter\n:KR-TEST - [0:0]\nCOMMIT\n");
  iptables_->restore_filter(Family::kIPv6, "*filter\n:KR-TEST - [0:0]\nCOMMIT\n");
  EXPECT_EQ(ns_->pids().size(), 2u);
  iptables_.reset();
  EXPECT_TRUE(ns_->pids().empty());
}

TEST_P(RestoreSessionTest, SettledRemovalsNoLongerHoldTheirSets) {
  ASSERT_TRUE(ns_->run({"ipset", "create", "kr-test", "hash:ip"}).ok());
  iptables_->restore_filter(
      Family::kIPv4,
      "*filter\n:KR-TEST - [0:0]\n-A KR-TEST -m set --match-set kr-test src -j ACCEPT\nCOMMIT\n");
  iptables_->restore_filter(Family::kIPv4, "*filter\n-F KR-TEST\n-X KR-TEST\nCOMMIT\n");
  iptables_->settle_removals();
  const auto destroyed = ns_->run({"ipset", "destroy", "kr-test"});
  EXPECT_TRUE(destroyed.ok()) << destroyed.err;
}

INSTANTIATE_TEST_SUITE_P(Backends, RestoreSessionTest,
                         ::testing::Values(IptablesBackend::kLegacy, IptablesBackend::kNft),
                         [](const auto& info) { return std::string(backend_name(info.param)); });

}  // namespace
}  // namespace kr::netfilter
