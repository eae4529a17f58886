#include "k8s/backoff.h"

#include <algorithm>

namespace kr::k8s {

Backoff::Backoff(Params params, uint64_t seed)
    : params_(params), current_(params.initial), rng_(seed) {
  params_.jitter = std::clamp(params_.jitter, 0.0, 1.0);
  params_.factor = std::max(params_.factor, 1.0);
}

std::chrono::milliseconds Backoff::next() {
  const auto base = std::min(current_, params_.cap);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const double scaled = static_cast<double>(base.count()) * (1.0 - params_.jitter * unit(rng_));
  const double grown = static_cast<double>(base.count()) * params_.factor;
  current_ = std::chrono::milliseconds(
      static_cast<int64_t>(std::min(grown, static_cast<double>(params_.cap.count()))));
  return std::chrono::milliseconds(static_cast<int64_t>(scaled));
}

void Backoff::reset() { current_ = params_.initial; }

}  // namespace kr::k8s
