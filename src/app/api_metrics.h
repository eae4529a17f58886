// Exposes the Kubernetes API client's figures (list durations, watch restarts, relists after
// 410 Gone, cached objects, skipped malformed objects) as Prometheus metrics labelled by
// resource. Upstream has no such metrics; they are ours (docs/differences.md).
#pragma once

#include "k8s/metrics.h"
#include "observe/registry.h"

namespace kr::app {

// Registers a scrape-time collector reading `metrics`, which must outlive the returned handle.
observe::CollectorHandle add_api_client_collector(observe::Registry& registry,
                                                  const k8s::ClientMetrics& metrics);

}  // namespace kr::app
