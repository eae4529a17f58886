// Named network namespaces owned by a test.
//
// A ScopedNetns is created with `ip netns add` under a unique name
// krt-<pid>-<n> and, when destroyed (including during stack unwinding after a
// failed assertion), kills every process still inside it and deletes it. The
// first ScopedNetns of a test process also removes krt-* namespaces left
// behind by test processes that no longer exist (a crash, a SIGKILL).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "support/run.h"
#include "support/subprocess.h"

namespace kr::test {

class ScopedNetns {
 public:
  // Creates the namespace and brings its loopback up. Throws std::runtime_error
  // with ip's message when it cannot be created.
  ScopedNetns();
  ~ScopedNetns();
  ScopedNetns(const ScopedNetns&) = delete;
  ScopedNetns& operator=(const ScopedNetns&) = delete;

  const std::string& name() const { return name_; }

  // Runs argv inside the namespace (see run()).
  RunResult run(const std::vector<std::string>& argv, RunOptions options = {}) const;
  // `ip -n NAME args...`; returns stdout, throws std::runtime_error on failure.
  std::string ip(const std::vector<std::string>& args) const;
  // Starts a long-running process inside the namespace.
  Subprocess spawn(std::vector<std::string> argv, SpawnOptions options = {}) const;
  // Processes whose network namespace is this one.
  std::vector<pid_t> pids() const;

  // Kills the processes inside and deletes the namespace now; idempotent.
  void remove();

  // The prefix of every name this class creates.
  static constexpr const char* kPrefix = "krt-";

 private:
  std::string name_;
  bool removed_ = false;
};

// Names of the named network namespaces (/var/run/netns), as `ip netns list` shows them.
std::vector<std::string> list_netns();
bool netns_exists(const std::string& name);

// Processes whose network namespace is the named one (what `ip netns pids` prints).
std::vector<pid_t> netns_pids(const std::string& name);

// SIGKILLs every process in the named namespace, waits (bounded) until they
// are gone, then deletes the name. Returns false (and prints why to stderr)
// when the namespace could not be deleted. Missing namespaces are fine.
bool kill_and_delete_netns(const std::string& name);

// Deletes namespaces named <prefix><pid>-<anything> whose <pid> is not a live
// process. Returns the names it removed.
std::vector<std::string> reap_stale_netns(const std::string& prefix = ScopedNetns::kPrefix);

}  // namespace kr::test
