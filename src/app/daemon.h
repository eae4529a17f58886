// kube-router's Run (flags.md §3.2-3.3): health endpoint, informers, metrics, controllers, then
// wait for SIGTERM/SIGINT and stop everything in order.
#pragma once

#include "k8s/client_config.h"
#include "options/kube_router_config.h"

namespace kr::app {

// Returns the process exit status: 0 after a normal shutdown or when nothing is enabled, 1 when
// start-up fails (the reason has been printed to stderr as one line).
int run_daemon(const options::Config& config, const k8s::ClientConfig& client_config);

}  // namespace kr::app
