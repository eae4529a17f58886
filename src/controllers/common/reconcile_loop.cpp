#include "controllers/common/reconcile_loop.h"

#include <exception>

#include "base/log.h"

namespace kr::controllers {

ReconcileLoop::ReconcileLoop(Options options, Reconcile reconcile, PassObserver observer)
    : options_(std::move(options)),
      reconcile_(std::move(reconcile)),
      observer_(std::move(observer)) {}

ReconcileLoop::~ReconcileLoop() { stop(); }

void ReconcileLoop::start() {
  const std::lock_guard lock(mutex_);
  if (worker_.joinable()) {
    return;
  }
  stopping_ = false;
  full_due_ = true;
  worker_ = std::thread([this] { run(); });
}

void ReconcileLoop::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable() && worker_.get_id() != std::this_thread::get_id()) {
    worker_.join();
  }
}

void ReconcileLoop::mark_dirty() {
  {
    const std::lock_guard lock(mutex_);
    if (!oldest_change_) {
      oldest_change_ = Clock::now();
    }
  }
  wake_.notify_all();
}

void ReconcileLoop::request_full() {
  {
    const std::lock_guard lock(mutex_);
    full_due_ = true;
  }
  wake_.notify_all();
}

void ReconcileLoop::run() {
  auto next_resync = Clock::now() + options_.resync_period;
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait_until(lock, next_resync,
                     [this] { return stopping_ || full_due_ || oldest_change_.has_value(); });
    if (stopping_) {
      return;
    }
    if (Clock::now() >= next_resync) {
      full_due_ = true;
    }
    if (!full_due_ && !oldest_change_) {
      continue;
    }
    // Take the pending work; marks arriving during the pass are covered by the next one.
    const Pass pass{.full = full_due_, .oldest_change = oldest_change_};
    full_due_ = false;
    oldest_change_.reset();
    lock.unlock();

    bool ok = false;
    try {
      ok = reconcile_(pass);
    } catch (const std::exception& error) {
      KR_ERROR("{} sync failed: {}", options_.name, error.what());
    }
    const auto end = Clock::now();
    if (observer_) {
      observer_(pass, ok, pass.oldest_change ? end - *pass.oldest_change : Clock::duration{});
    }

    lock.lock();
    if (pass.full) {
      next_resync = end + options_.resync_period;
    }
    if (!ok) {
      // Keep what this pass owed, and try again after the retry delay.
      full_due_ = full_due_ || pass.full;
      if (pass.oldest_change && (!oldest_change_ || *pass.oldest_change < *oldest_change_)) {
        oldest_change_ = pass.oldest_change;
      }
      wake_.wait_for(lock, options_.retry_delay, [this] { return stopping_; });
    }
  }
}

}  // namespace kr::controllers
