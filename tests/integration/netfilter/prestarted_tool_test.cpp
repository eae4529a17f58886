// `ipset restore` through a copy started before each run (prestarted_tool.h), against the real
// tool in a namespace of the test's own: runs apply one after another as fresh tools would, a
// failing script fails as it would in a fresh tool, a copy that went away is replaced, and no
// copy outlives its owner.
#include "kernel/netfilter/prestarted_tool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <memory>
#include <string>

#include "kernel/netfilter/ipset_plan.h"
#include "support/netns.h"
#include "support/root.h"
#include "support/subprocess.h"
#include "support/wait.h"

namespace kr::netfilter {
namespace {

class PrestartedToolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    KR_REQUIRE_ROOT_AND_TOOLS("ip", "ipset");
    ns_ = std::make_unique<kr::test::ScopedNetns>();
    tool_ = std::make_unique<PrestartedTool>(std::vector<std::string>{"ipset", "restore", "-exist"},
                                             "/var/run/netns/" + ns_->name());
  }

  std::vector<std::string> members(const std::string& set) {
    const auto saved = ns_->run({"ipset", "save"});
    EXPECT_TRUE(saved.ok()) << saved.err;
    const IpsetTable sets = parse_ipset_save(saved.out);
    const auto it = sets.find(set);
    if (it == sets.end()) return {};
    return {it->second.members.begin(), it->second.members.end()};
  }

  bool running(pid_t pid) {
    const auto pids = ns_->pids();
    return std::find(pids.begin(), pids.end(), pid) != pids.end();
  }

  std::unique_ptr<kr::test::ScopedNetns> ns_;
  std::unique_ptr<PrestartedTool> tool_;
};

TEST_F(PrestartedToolTest, RunsApplyOneAfterAnother) {
  EXPECT_EQ(tool_->waiting_pid(), -1) << "nothing starts before the first run";
  const CommandResult first = tool_->run("create kr-test hash:ip\nadd kr-test 10.0.0.1\n");
  ASSERT_TRUE(first.ok()) << first.err;
  const pid_t waiting = tool_->waiting_pid();
  ASSERT_GT(waiting, 0);
  EXPECT_TRUE(running(waiting)) << "the next run's copy waits in the tool's namespace";
  EXPECT_EQ(members("kr-test"), std::vector<std::string>{"10.0.0.1"});

  const CommandResult second = tool_->run("add kr-test 10.0.0.2\ndel kr-test 10.0.0.1\n");
  ASSERT_TRUE(second.ok()) << second.err;
  EXPECT_EQ(members("kr-test"), std::vector<std::string>{"10.0.0.2"});
  EXPECT_NE(tool_->waiting_pid(), waiting) << "each run takes the waiting copy";
}

TEST_F(PrestartedToolTest, AFailingScriptFailsAsInAFreshTool) {
  // The same scripts through a fresh tool in a second namespace: same exit, same message, same
  // sets (ipset sends lines in batches, so which lines before the failing one took effect is
  // the tool's own business; it must not change).
  kr::test::ScopedNetns fresh_ns;
  const auto fresh = [&](std::string_view script) {
    return run_command({"ipset", "restore", "-exist"},
                       {.stdin_data = script, .netns_path = "/var/run/netns/" + fresh_ns.name()});
  };
  const auto sets = [](kr::test::ScopedNetns& ns) {
    const auto saved = ns.run({"ipset", "save"});
    EXPECT_TRUE(saved.ok()) << saved.err;
    return parse_ipset_save(saved.out);
  };
  const std::string setup = "create kr-a hash:ip\ncreate kr-b hash:ip\n";
  const std::string failing =
      "add kr-a 10.0.0.1\nadd kr-b 10.0.0.2\nadd kr-b not-an-address\nadd kr-a 10.0.0.3\n";
  ASSERT_TRUE(tool_->run(setup).ok());
  ASSERT_TRUE(fresh(setup).ok());
  const CommandResult ours = tool_->run(failing);
  const CommandResult theirs = fresh(failing);
  EXPECT_EQ(ours.exit_code, 1);
  EXPECT_NE(ours.err.find("Error in line 3"), std::string::npos) << ours.err;
  EXPECT_EQ(ours.exit_code, theirs.exit_code);
  EXPECT_EQ(ours.err, theirs.err);
  const IpsetTable after = sets(*ns_);
  EXPECT_EQ(after.at("kr-a").members, sets(fresh_ns).at("kr-a").members);
  EXPECT_EQ(after.at("kr-b").members, sets(fresh_ns).at("kr-b").members);

  const CommandResult next = tool_->run("add kr-b 10.0.0.4\n");
  EXPECT_TRUE(next.ok()) << next.err;
  const StringList members = sets(*ns_).at("kr-b").members;
  EXPECT_NE(std::find(members.begin(), members.end(), "10.0.0.4"), members.end());
}

TEST_F(PrestartedToolTest, ACopyThatWentAwayIsReplaced) {
  ASSERT_TRUE(tool_->run("create kr-test hash:ip\n").ok());
  const pid_t waiting = tool_->waiting_pid();
  ASSERT_GT(waiting, 0);
  ::kill(waiting, SIGKILL);
  // Its owner reaps it at the next run.
  ASSERT_TRUE(
      kr::test::wait_until([&] { return kr::test::is_zombie(waiting); }, std::chrono::seconds(10)));
  const CommandResult after = tool_->run("add kr-test 10.0.0.9\n");
  EXPECT_TRUE(after.ok()) << after.err;
  EXPECT_EQ(members("kr-test"), std::vector<std::string>{"10.0.0.9"});
}

TEST_F(PrestartedToolTest, NoCopyOutlivesItsOwner) {
  ASSERT_TRUE(tool_->run("create kr-test hash:ip\n").ok());
  ASSERT_EQ(ns_->pids().size(), 1u);
  tool_.reset();
  EXPECT_TRUE(ns_->pids().empty());
  EXPECT_TRUE(ns_->run({"ipset", "list", "-n", "kr-test"}).ok())
      << "ending the waiting copy changes nothing";
}

}  // namespace
}  // namespace kr::netfilter
