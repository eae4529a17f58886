// The one reconcile shape every controller uses (design.md §2): API events only mark the
// controller dirty; a worker thread runs one reconcile for any burst of marks, and a periodic
// full resync (the --*-sync-period flags) repairs drift made behind our back.
//
// The loop knows nothing about what is reconciled. It tells the reconcile whether a full
// resync is due, and reports for each pass how long the oldest change it covered waited to be
// programmed (the "programming latency" the controllers export as a histogram).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace kr::controllers {

class ReconcileLoop {
 public:
  using Clock = std::chrono::steady_clock;

  struct Pass {
    bool full = false;  // the periodic resync, or the first pass after start()
    // When the oldest change this pass covers was marked; nullopt for a pure periodic resync.
    std::optional<Clock::time_point> oldest_change;
  };

  // Returns true when the kernel now matches the desired state; false makes the loop retry
  // after `retry_delay` (the previous state stays in place meanwhile).
  using Reconcile = std::function<bool(const Pass& pass)>;
  // Called after every pass, successful or not, with the pass and its outcome and the time from
  // the oldest covered change to the end of the pass (zero for a pure resync).
  using PassObserver = std::function<void(const Pass& pass, bool ok, Clock::duration latency)>;

  struct Options {
    std::string name;                        // for logs, e.g. "network policy"
    std::chrono::nanoseconds resync_period;  // the --*-sync-period flag
    std::chrono::nanoseconds retry_delay = std::chrono::seconds(5);
  };

  ReconcileLoop(Options options, Reconcile reconcile, PassObserver observer = {});
  ~ReconcileLoop();  // stops
  ReconcileLoop(const ReconcileLoop&) = delete;
  ReconcileLoop& operator=(const ReconcileLoop&) = delete;

  // Starts the worker; its first pass is a full one.
  void start();
  // Asks the worker to finish its current pass and exit; waits for it.
  void stop();

  // A change arrived (any thread, cheap): one pass will cover it and every mark before it.
  void mark_dirty();
  // Asks for a full pass as soon as possible (e.g. a node address changed).
  void request_full();

 private:
  void run();

  const Options options_;
  const Reconcile reconcile_;
  const PassObserver observer_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool full_due_ = true;
  std::optional<Clock::time_point> oldest_change_;
  std::thread worker_;
};

}  // namespace kr::controllers
