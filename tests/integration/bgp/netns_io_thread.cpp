#include "netns_io_thread.h"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "base/errno_text.h"

namespace kr::test {

NetnsIoThread::NetnsIoThread(const std::string& netns) {
  std::promise<std::string> entered;
  auto entered_result = entered.get_future();
  thread_ = std::thread([this, netns, &entered] {
    const std::string path = "/var/run/netns/" + netns;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) {
      entered.set_value("entering network namespace " + netns + ": " + kr::errno_text(errno));
      if (fd >= 0) ::close(fd);
      return;
    }
    ::close(fd);
    entered.set_value("");
    auto work = boost::asio::make_work_guard(io_);
    io_.run();
  });
  if (std::string error = entered_result.get(); !error.empty()) {
    thread_.join();
    throw std::runtime_error(error);
  }
}

NetnsIoThread::~NetnsIoThread() {
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace kr::test
