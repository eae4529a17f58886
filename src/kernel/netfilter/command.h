// Runs a netfilter userspace tool (iptables-save, ipset, ...) once: feeds a script on stdin and
// captures what it prints. The tools are the only supported interface to the kernel tables
// here (design.md §2); they are started by child_process.h, here and by the long-running
// restore sessions (restore_session.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kernel/netfilter/child_process.h"

namespace kr::netfilter {

struct CommandResult {
  int exit_code = -1;  // -1 when the tool could not be started or was killed by a signal
  std::string out;
  std::string err;
  bool ok() const { return exit_code == 0; }
};

struct CommandOptions {
  std::string_view stdin_data = {};
  // Path of a network namespace file (e.g. /var/run/netns/NAME) the child enters before exec;
  // empty runs in the caller's namespace. Lets tests and benchmarks drive a namespace of their
  // own without moving the calling thread.
  std::string netns_path = {};
};

// Runs argv[0] (searched in PATH) to completion. Never throws for the tool's own failures; a
// tool that cannot be started gives exit_code -1 and the reason in err.
CommandResult run_command(const std::vector<std::string>& argv, const CommandOptions& options);

// The second half of run_command(), for a child started earlier (prestarted_tool.h): feeds it
// `stdin_data`, then end of file, collects what it prints and reaps it. `program` names it in
// the message of a deadline kill.
CommandResult complete_command(Child child, std::string_view stdin_data, std::string_view program);

// "iptables-restore: exit 1: <first stderr line>" for error messages.
std::string describe_failure(const std::vector<std::string>& argv, const CommandResult& result);

}  // namespace kr::netfilter
