// The xtables lock, taken by this process on behalf of its legacy restore tools so that the
// IPv4 and IPv6 tables are written side by side.
//
// The legacy backend replaces a whole table per commit, so every iptables program takes an
// exclusive flock on /run/xtables.lock (or $XTABLES_LOCKFILE) around its read-modify-replace;
// otherwise a concurrent writer's change would be lost. Our two restores write different
// tables and need not exclude each other, only everyone else: the process holds the lock once
// for both, and its tools lock private files of their own instead (private_lock_env()).
// On this lab's 2-core machine that halves a small change's commit time (design.md).
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>

#include "kernel/netfilter/child_process.h"
#include "kernel/netfilter/family.h"

namespace kr::netfilter {

class XtablesLock {
 public:
  // The lock file every iptables program uses: $XTABLES_LOCKFILE, else /run/xtables.lock.
  XtablesLock();
  explicit XtablesLock(std::string path) : path_(std::move(path)) {}

  // Blocks until this process holds the lock; calls that overlap share one hold, released
  // when the last of them ends. Throws NetfilterError when it cannot be taken within the
  // tools' deadline (another program holding it that long is stuck).
  class Hold {
   public:
    explicit Hold(XtablesLock& lock) : lock_(&lock) { lock_->acquire(); }
    ~Hold() { lock_->release(); }
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;

   private:
    XtablesLock* lock_;
  };

  // The environment entry that points a tool run under this lock at its own lock file for
  // `family`, beside the shared one.
  std::string private_lock_env(Family family) const;

 private:
  void acquire();
  void release();

  const std::string path_;
  std::mutex mutex_;
  std::condition_variable taken_;
  int holders_ = 0;
  bool taking_ = false;
  Fd fd_;  // open while held; closing it releases the flock
};

}  // namespace kr::netfilter
