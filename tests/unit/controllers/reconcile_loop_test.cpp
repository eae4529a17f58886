#include "controllers/common/reconcile_loop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

namespace kr::controllers {
namespace {

using namespace std::chrono_literals;

// Waits (bounded) until the condition holds; readiness only, never a timing assertion.
template <class Predicate>
bool eventually(Predicate predicate) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) {
      return true;
    }
    std::this_thread::sleep_for(5ms);
  }
  return predicate();
}

struct Recorder {
  std::mutex mutex;
  std::vector<ReconcileLoop::Pass> passes;
  std::atomic<int> fail_next{0};

  bool reconcile(const ReconcileLoop::Pass& pass) {
    const std::lock_guard lock(mutex);
    passes.push_back(pass);
    if (fail_next > 0) {
      --fail_next;
      return false;
    }
    return true;
  }
  size_t count() {
    const std::lock_guard lock(mutex);
    return passes.size();
  }
  ReconcileLoop::Pass at(size_t i) {
    const std::lock_guard lock(mutex);
    return passes.at(i);
  }
};

ReconcileLoop::Options options(std::chrono::nanoseconds resync = 1h,
                               std::chrono::nanoseconds retry = 10ms) {
  return {.name = "test", .resync_period = resync, .retry_delay = retry};
}

TEST(ReconcileLoop, FirstPassIsFullAndCoversNoChange) {
  Recorder recorder;
  ReconcileLoop loop(options(), [&](const auto& pass) { return recorder.reconcile(pass); });
  loop.start();
  ASSERT_TRUE(eventually([&] { return recorder.count() == 1; }));
  EXPECT_TRUE(recorder.at(0).full);
  EXPECT_FALSE(recorder.at(0).oldest_change.has_value());
}

TEST(ReconcileLoop, MarksDuringAPassAreCoalescedIntoOneIncrementalPass) {
  Recorder recorder;
  std::atomic<bool> release{false};
  std::atomic<bool> in_first{false};
  ReconcileLoop loop(options(), [&](const auto& pass) {
    if (pass.full) {
      in_first = true;
      while (!release) {
        std::this_thread::sleep_for(1ms);
      }
    }
    return recorder.reconcile(pass);
  });
  loop.start();
  ASSERT_TRUE(eventually([&] { return in_first.load(); }));
  const auto before_marks = ReconcileLoop::Clock::now();
  for (int i = 0; i < 100; ++i) {
    loop.mark_dirty();
  }
  release = true;
  ASSERT_TRUE(eventually([&] { return recorder.count() == 2; }));
  std::this_thread::sleep_for(50ms);  // room for a wrong third pass to show up
  EXPECT_EQ(recorder.count(), 2u);
  const auto second = recorder.at(1);
  EXPECT_FALSE(second.full);
  ASSERT_TRUE(second.oldest_change.has_value());
  EXPECT_GE(*second.oldest_change, before_marks);  // the first mark of the burst
}

TEST(ReconcileLoop, PeriodicResyncIsFull) {
  Recorder recorder;
  ReconcileLoop loop(options(20ms), [&](const auto& pass) { return recorder.reconcile(pass); });
  loop.start();
  ASSERT_TRUE(eventually([&] { return recorder.count() >= 3; }));
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_TRUE(recorder.at(i).full) << i;
  }
}

TEST(ReconcileLoop, FailedPassIsRetriedWithItsWork) {
  Recorder recorder;
  ReconcileLoop loop(options(), [&](const auto& pass) { return recorder.reconcile(pass); });
  loop.start();
  ASSERT_TRUE(eventually([&] { return recorder.count() == 1; }));
  recorder.fail_next = 1;
  loop.mark_dirty();
  ASSERT_TRUE(eventually([&] { return recorder.count() == 3; }));
  const auto failed = recorder.at(1);
  const auto retried = recorder.at(2);
  ASSERT_TRUE(failed.oldest_change && retried.oldest_change);
  EXPECT_EQ(*retried.oldest_change, *failed.oldest_change);
}

TEST(ReconcileLoop, RequestFullRunsAFullPass) {
  Recorder recorder;
  ReconcileLoop loop(options(), [&](const auto& pass) { return recorder.reconcile(pass); });
  loop.start();
  ASSERT_TRUE(eventually([&] { return recorder.count() == 1; }));
  loop.request_full();
  ASSERT_TRUE(eventually([&] { return recorder.count() == 2; }));
  EXPECT_TRUE(recorder.at(1).full);
}

TEST(ReconcileLoop, ObserverSeesOutcomeAndLatency) {
  std::mutex mutex;
  std::vector<std::pair<bool, ReconcileLoop::Clock::duration>> seen;
  ReconcileLoop loop(
      options(), [](const auto&) { return true; },
      [&](const auto&, bool ok, auto latency) {
        const std::lock_guard lock(mutex);
        seen.emplace_back(ok, latency);
      });
  loop.start();
  ASSERT_TRUE(eventually([&] {
    const std::lock_guard lock(mutex);
    return seen.size() == 1;
  }));
  loop.mark_dirty();
  ASSERT_TRUE(eventually([&] {
    const std::lock_guard lock(mutex);
    return seen.size() == 2;
  }));
  const std::lock_guard lock(mutex);
  EXPECT_TRUE(seen[0].first);
  EXPECT_EQ(seen[0].second, ReconcileLoop::Clock::duration{});  // pure resync: no change waited
  EXPECT_GT(seen[1].second, ReconcileLoop::Clock::duration{});
}

TEST(ReconcileLoop, StopEndsTheWorkerAndNoPassFollows) {
  Recorder recorder;
  ReconcileLoop loop(options(), [&](const auto& pass) { return recorder.reconcile(pass); });
  loop.start();
  ASSERT_TRUE(eventually([&] { return recorder.count() == 1; }));
  loop.stop();
  loop.mark_dirty();
  std::this_thread::sleep_for(30ms);
  EXPECT_EQ(recorder.count(), 1u);
}

}  // namespace
}  // namespace kr::controllers
