// Armed faults for tests (only reachable with --enable-faults): the next N API requests fail
// with a chosen status, or are delayed. Watch drops and compaction act at once and live in the
// router; this is just the counters.
#pragma once

#include <chrono>
#include <optional>

namespace kr::apiserver_lite {

class Faults {
 public:
  void fail_next(int status, int count) {
    fail_status_ = status;
    fail_remaining_ = count;
  }
  void delay_next(std::chrono::milliseconds delay, int count) {
    delay_ = delay;
    delay_remaining_ = count;
  }
  // Each call consumes one armed request.
  std::optional<int> take_failure() {
    if (fail_remaining_ <= 0) {
      return std::nullopt;
    }
    --fail_remaining_;
    return fail_status_;
  }
  std::optional<std::chrono::milliseconds> take_delay() {
    if (delay_remaining_ <= 0) {
      return std::nullopt;
    }
    --delay_remaining_;
    return delay_;
  }

 private:
  int fail_status_ = 0;
  int fail_remaining_ = 0;
  std::chrono::milliseconds delay_{0};
  int delay_remaining_ = 0;
};

}  // namespace kr::apiserver_lite
