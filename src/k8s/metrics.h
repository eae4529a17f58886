// API client figures for the metrics endpoint: plain atomics the daemon reads at scrape time.
#pragma once

#include <atomic>
#include <cstdint>

namespace kr::k8s {

struct KindMetrics {
  // Duration of complete LISTs (all pages), seconds.
  std::atomic<double> last_list_seconds{0};
  std::atomic<double> list_seconds_total{0};
  std::atomic<uint64_t> lists_total{0};
  // Watches re-opened after ending for any reason (server timeout, drop, error).
  std::atomic<uint64_t> watch_restarts_total{0};
  // LISTs forced by 410 Gone (expired resourceVersion), not counting the initial one.
  std::atomic<uint64_t> relists_total{0};
  std::atomic<int64_t> objects_cached{0};
  // Malformed object versions skipped (each namespace/name/resourceVersion counted once).
  std::atomic<uint64_t> decode_errors_total{0};
};

struct ClientMetrics {
  KindMetrics pods;
  KindMetrics services;
  KindMetrics endpoint_slices;
  KindMetrics nodes;
  KindMetrics namespaces;
  KindMetrics network_policies;
};

}  // namespace kr::k8s
