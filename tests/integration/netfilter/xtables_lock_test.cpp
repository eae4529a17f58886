// The xtables lock: this process's overlapping holds share one flock, another holder makes it
// wait, and legacy restores take it (while their tools lock private files, so both families'
// tools run at once without waiting for each other).
#include "kernel/netfilter/xtables_lock.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/file.h>

#include <chrono>
#include <future>
#include <optional>

#include "kernel/netfilter/filter_table.h"
#include "kernel/netfilter/iptables.h"
#include "support/netns.h"
#include "support/root.h"
#include "support/temp_dir.h"

namespace kr::netfilter {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Another program's hold on the lock file: its own open file description and flock.
class ForeignHold {
 public:
  explicit ForeignHold(const std::string& path)
      : fd_(::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0600)) {}
  bool take() { return ::flock(fd_.get(), LOCK_EX | LOCK_NB) == 0; }
  void release() { ::flock(fd_.get(), LOCK_UN); }

 private:
  Fd fd_;
};

TEST(XtablesLock, OverlappingHoldsShareOneLockThatExcludesOthers) {
  kr::test::TempDir dir("xtlock");
  const std::string path = dir.file("xtables.lock");
  XtablesLock lock(path);
  ForeignHold other(path);
  {
    std::optional<XtablesLock::Hold> first(std::in_place, lock);
    auto second = std::async(std::launch::async, [&] { XtablesLock::Hold h(lock); });
    ASSERT_EQ(second.wait_for(seconds(10)), std::future_status::ready)
        << "a second hold joins the first instead of waiting for it";
    EXPECT_FALSE(other.take()) << "held against other programs";
    first.reset();
  }
  EXPECT_TRUE(other.take()) << "released with the last hold";
}

TEST(XtablesLock, WaitsForAnotherProgramsHold) {
  kr::test::TempDir dir("xtlock");
  const std::string path = dir.file("xtables.lock");
  XtablesLock lock(path);
  ForeignHold other(path);
  ASSERT_TRUE(other.take());
  auto held = std::async(std::launch::async, [&] { XtablesLock::Hold h(lock); });
  EXPECT_EQ(held.wait_for(milliseconds(300)), std::future_status::timeout);
  other.release();
  EXPECT_EQ(held.wait_for(seconds(10)), std::future_status::ready);
}

class LegacyRestoreLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    KR_REQUIRE_ROOT_AND_TOOLS("ip", "iptables-legacy-restore", "ip6tables-legacy-restore");
    const char* before = std::getenv("XTABLES_LOCKFILE");
    if (before) saved_ = before;
    dir_ = std::make_unique<kr::test::TempDir>("xtlock");
    path_ = dir_->file("xtables.lock");
    ::setenv("XTABLES_LOCKFILE", path_.c_str(), 1);  // the lock every iptables program uses
    ns_ = std::make_unique<kr::test::ScopedNetns>();
  }
  void TearDown() override {
    if (saved_) {
      ::setenv("XTABLES_LOCKFILE", saved_->c_str(), 1);
    } else {
      ::unsetenv("XTABLES_LOCKFILE");
    }
  }

  std::optional<std::string> saved_;
  std::unique_ptr<kr::test::TempDir> dir_;
  std::string path_;
  std::unique_ptr<kr::test::ScopedNetns> ns_;
};

TEST_F(LegacyRestoreLockTest, BothFamiliesWaitForAnotherProgramThenCommit) {
  auto iptables = make_iptables(IptablesBackend::kLegacy, "/var/run/netns/" + ns_->name());
  ForeignHold other(path_);
  ASSERT_TRUE(other.take());
  auto restore = [&](Family f) {
    return std::async(std::launch::async, [&, f] {
      iptables->restore_filter(f, "*filter\n:KR-TEST - [0:0]\n-A KR-TEST -j ACCEPT\nCOMMIT\n");
    });
  };
  auto v4 = restore(Family::kIPv4);
  auto v6 = restore(Family::kIPv6);
  EXPECT_EQ(v4.wait_for(milliseconds(300)), std::future_status::timeout);
  EXPECT_FALSE(parse_filter_save(iptables->save_filter(Family::kIPv4)).has_chain("KR-TEST"));
  other.release();
  ASSERT_EQ(v4.wait_for(seconds(30)), std::future_status::ready);
  ASSERT_EQ(v6.wait_for(seconds(30)), std::future_status::ready);
  v4.get();
  v6.get();
  for (const Family f : kFamilies) {
    EXPECT_EQ(parse_filter_save(iptables->save_filter(f)).chain("KR-TEST"),
              std::vector<std::string>{"-j ACCEPT"});
  }
  EXPECT_TRUE(other.take()) << "not held once the restores are done";
}

}  // namespace
}  // namespace kr::netfilter
