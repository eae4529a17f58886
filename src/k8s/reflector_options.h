// Tunables of the LIST/WATCH loops; the defaults are client-go's.
#pragma once

#include <chrono>
#include <cstddef>

#include "k8s/backoff.h"

namespace kr::k8s {

struct ReflectorOptions {
  size_t page_size = 500;  // LIST limit
  // Each watch asks for timeoutSeconds drawn from [min, 2 * min), so that the watches of many
  // clients do not all end together.
  std::chrono::seconds min_watch_timeout{300};
  Backoff::Params backoff;
};

}  // namespace kr::k8s
