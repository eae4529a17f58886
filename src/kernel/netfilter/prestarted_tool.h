// A one-shot tool started before it is needed.
//
// `ipset restore` does all of its start-up (exec, dynamic linking, the library's set-up, its
// netlink socket) before it reads its first input line, and a small restore spends most of its
// time there. So after each run the next copy of the tool is started and left waiting on its
// stdin; the next run writes its input to that copy and closes stdin, and the copy applies the
// input and exits exactly as a fresh process would: same input, same exit code, same messages,
// one process per run. Only the wait is new: one idle process (ps shows it) per tool.
#pragma once

#include <sys/types.h>

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/netfilter/child_process.h"
#include "kernel/netfilter/command.h"

namespace kr::netfilter {

class PrestartedTool {
 public:
  // `argv` and `netns_path` as for run_command(). Nothing starts until the first run().
  PrestartedTool(std::vector<std::string> argv, std::string netns_path);
  ~PrestartedTool();  // ends the waiting copy
  PrestartedTool(const PrestartedTool&) = delete;
  PrestartedTool& operator=(const PrestartedTool&) = delete;

  // As run_command(argv, {stdin_data, netns_path}), with the copy started after the previous
  // run (or a fresh one when that copy is gone). Callers on several threads take turns.
  CommandResult run(std::string_view stdin_data);

  const std::vector<std::string>& argv() const { return argv_; }

  // The copy waiting for the next run, -1 when none (for tests).
  pid_t waiting_pid();

 private:
  // The waiting copy when it is still waiting; otherwise it is reaped and a fresh one started.
  // pid -1 and `error` set when none could be started.
  Child take_waiting(std::string& error);
  void end_waiting();

  const std::vector<std::string> argv_;
  const std::string netns_path_;
  std::mutex mutex_;
  Child waiting_;
};

}  // namespace kr::netfilter
