// Bounded waiting for a condition (a daemon answering, a file appearing).
// For readiness only: tests assert on the condition, never on how long it took.
#pragma once

#include <chrono>
#include <thread>
#include <utility>

namespace kr::test {

// Calls predicate until it returns true or timeout has passed, sleeping poll
// between calls. Returns the predicate's last answer, so the caller can
// ASSERT_TRUE(wait_until(...)) << "what never happened".
template <typename Predicate>
bool wait_until(Predicate&& predicate, std::chrono::milliseconds timeout,
                std::chrono::milliseconds poll = std::chrono::milliseconds(50)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (std::forward<Predicate>(predicate)()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(poll);
  }
}

}  // namespace kr::test
