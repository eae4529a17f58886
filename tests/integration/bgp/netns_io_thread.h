// An Asio event loop on a thread that lives inside a named network
// namespace, so sockets made on it (our BGP sessions and listeners) use that
// namespace's interfaces. call() runs a function on the loop and waits.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <future>
#include <string>
#include <thread>

namespace kr::test {

class NetnsIoThread {
 public:
  // Throws std::runtime_error when the namespace cannot be entered.
  explicit NetnsIoThread(const std::string& netns);
  ~NetnsIoThread();
  NetnsIoThread(const NetnsIoThread&) = delete;
  NetnsIoThread& operator=(const NetnsIoThread&) = delete;

  boost::asio::io_context& io() { return io_; }

  // Runs f() on the loop thread and returns its result (exceptions too).
  template <class F>
  auto call(F&& f) -> decltype(f()) {
    std::packaged_task<decltype(f())()> task(std::forward<F>(f));
    auto result = task.get_future();
    boost::asio::post(io_, [&task] { task(); });
    return result.get();
  }

 private:
  boost::asio::io_context io_;
  std::thread thread_;
};

}  // namespace kr::test
