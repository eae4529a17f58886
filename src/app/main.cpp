// kube-router's main (flags.md §3.1): parse the command line, check privileges, clean up or
// build the API client configuration, then run the daemon.
#include <unistd.h>

#include <iostream>
#include <span>
#include <string_view>
#include <variant>

#include "app/cleanup.h"
#include "app/daemon.h"
#include "app/version.h"
#include "base/log.h"
#include "bgp/admin/cli.h"
#include "k8s/client_config.h"
#include "observe/build_info.h"
#include "options/command_line.h"

int main(int argc, char** argv) {
  using namespace kr;
  // `kube-router bgp ...` inspects a running speaker (docs/bgp.md); everything else is the
  // daemon's command line.
  if (argc > 1 && std::string_view(argv[1]) == "bgp") {
    return bgp::admin::run_bgp_cli(
        std::span<const char* const>(argv + 2, static_cast<size_t>(argc - 2)));
  }
  const std::string compiler = observe::compiler_id();
  const options::BuildInfo build{
      .version = app::kVersion, .build_date = app::kBuildDate, .compiler = compiler};
  auto outcome = options::parse_command_line(
      std::span<const char* const>(argv, static_cast<size_t>(argc)), build, std::cerr);
  if (const auto* exit = std::get_if<options::ExitRequest>(&outcome)) {
    return exit->code;
  }
  const auto& config = std::get<options::Config>(outcome);
  log::set_verbosity(config.log_verbosity);

  if (geteuid() != 0) {
    std::cerr << "kube-router needs to be run with privileges to execute iptables, ipset and "
                 "configure ipvs\n";
    return 1;
  }
  if (config.cleanup_config) {
    return app::run_cleanup(config);
  }

  KR_INFO("Running {} version {}, built on {}, {}", argv[0], app::kVersion, app::kBuildDate,
          compiler);
  k8s::ClientConfig client_config;
  try {
    client_config = k8s::build_client_config(config.kubeconfig, config.master,
                                             k8s::InClusterEnv::from_process());
  } catch (const k8s::ConfigError& error) {
    std::cerr << "Failed to build Kubernetes client configuration: " << error.what() << '\n';
    return 1;
  }
  return app::run_daemon(config, client_config);
}
