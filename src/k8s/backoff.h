// Exponential backoff with jitter for reconnecting list/watch loops.
//
// Delays double from `initial` up to `cap`; each delay is drawn uniformly from
// [(1 - jitter) * d, d], so it never exceeds the cap and clients that failed together do not
// retry together.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace kr::k8s {

class Backoff {
 public:
  struct Params {
    std::chrono::milliseconds initial{800};  // client-go's reflector starts at 800 ms
    std::chrono::milliseconds cap{30000};
    double factor = 2.0;
    double jitter = 0.5;  // fraction of the delay that is randomised, in [0, 1]
  };

  Backoff(Params params, uint64_t seed);

  // The delay before the next attempt; grows on every call until reset().
  std::chrono::milliseconds next();
  void reset();

 private:
  Params params_;
  std::chrono::milliseconds current_;
  std::mt19937_64 rng_;
};

}  // namespace kr::k8s
