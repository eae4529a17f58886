#include "kernel/netfilter/prestarted_tool.h"

#include <poll.h>

#include <csignal>
#include <utility>

namespace kr::netfilter {

PrestartedTool::PrestartedTool(std::vector<std::string> argv, std::string netns_path)
    : argv_(std::move(argv)), netns_path_(std::move(netns_path)) {}

PrestartedTool::~PrestartedTool() { end_waiting(); }

void PrestartedTool::end_waiting() {
  if (waiting_.pid < 0) return;
  // It has read nothing, so it has done nothing: ending it changes no kernel state.
  ::kill(waiting_.pid, SIGKILL);
  reap(waiting_.pid);
  waiting_ = Child{};
}

Child PrestartedTool::take_waiting(std::string& error) {
  if (waiting_.pid >= 0) {
    // A copy still waiting has printed nothing; one with output or a closed stdout has exited
    // (killed, say) and cannot take the input.
    pollfd fds[2] = {{waiting_.out.get(), POLLIN, 0}, {waiting_.err.get(), POLLIN, 0}};
    if (::poll(fds, 2, 0) == 0) return std::exchange(waiting_, Child{});
    end_waiting();
  }
  return start_child(argv_, netns_path_, error);
}

CommandResult PrestartedTool::run(std::string_view stdin_data) {
  const std::lock_guard lock(mutex_);
  std::string error;
  Child child = take_waiting(error);
  if (child.pid < 0) {
    CommandResult result;
    result.err = std::move(error);
    return result;
  }
  CommandResult result = complete_command(std::move(child), stdin_data, argv_[0]);
  // The copy for the next run. One that cannot start now is started by that run instead.
  std::string ignored;
  waiting_ = start_child(argv_, netns_path_, ignored);
  return result;
}

pid_t PrestartedTool::waiting_pid() {
  const std::lock_guard lock(mutex_);
  return waiting_.pid;
}

}  // namespace kr::netfilter
