// bgp-speaker: the native BGP speaker on its own, configured by a YAML file
// (see docs/bgp.md), inspected with `kube-router bgp` through its admin
// socket. Used by the interop tests and the benchmarks.
//
//   bgp-speaker --config FILE [-v LEVEL]
//
// SIGHUP re-reads the file and applies neighbor, policy and prefix changes.
// SIGTERM/SIGINT stop: with graceful restart the process just exits (peers
// keep our routes as stale); without, every peer gets Cease/Peer
// De-configured first.
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <iostream>
#include <string>

#include "apply_config.h"
#include "base/log.h"
#include "bgp/admin/admin_server.h"
#include "bgp/speaker/speaker.h"

namespace {

using kr::bgp::tool::ToolConfig;

constexpr const char* kUsage = "Usage: bgp-speaker --config FILE [-v LEVEL]\n";

void report(const std::vector<std::string>& problems) {
  for (const auto& p : problems) KR_ERROR("{}", p);
}

std::string hostname() {
  char buf[256] = {};
  if (gethostname(buf, sizeof(buf) - 1) != 0) return "";
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if ((a == "--config" || a == "-c") && i + 1 < argc) {
      path = argv[++i];
    } else if (a == "-v" && i + 1 < argc) {
      kr::log::set_verbosity(std::atoi(argv[++i]));
    } else if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      return 0;
    } else {
      std::cerr << "bgp-speaker: unexpected argument " << a << "\n" << kUsage;
      return 2;
    }
  }
  if (path.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  auto loaded = kr::bgp::tool::load_tool_config(path);
  if (auto* e = std::get_if<std::string>(&loaded)) {
    std::cerr << "bgp-speaker: " << *e << "\n";
    return 1;
  }
  ToolConfig config = std::get<ToolConfig>(std::move(loaded));
  if (config.speaker.hostname.empty()) config.speaker.hostname = hostname();

  boost::asio::io_context io;
  kr::bgp::speaker::Speaker speaker(io, config.speaker);
  if (auto e = speaker.start(); !e.empty()) {
    std::cerr << "bgp-speaker: " << e << "\n";
    return 1;
  }
  report(kr::bgp::tool::apply_config(speaker, ToolConfig{}, config));
  kr::bgp::admin::AdminServer admin(io, speaker, config.admin_socket);
  if (auto e = admin.start(); !e.empty()) {
    std::cerr << "bgp-speaker: " << e << "\n";
    return 1;
  }
  KR_INFO("bgp-speaker: AS {} router ID {} running, admin socket {}", config.speaker.asn,
          kr::bgp::IpAddress::v4_from_u32(config.speaker.router_id).to_string(),
          config.admin_socket);

  boost::asio::signal_set signals(io, SIGINT, SIGTERM, SIGHUP);
  boost::asio::steady_timer linger(io);
  std::function<void(const boost::system::error_code&, int)> on_signal;
  on_signal = [&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    if (sig == SIGHUP) {
      auto next = kr::bgp::tool::load_tool_config(path);
      if (auto* e = std::get_if<std::string>(&next)) {
        KR_ERROR("reload: {}; keeping the running configuration", *e);
      } else {
        auto& n = std::get<ToolConfig>(next);
        if (n.speaker.hostname.empty()) n.speaker.hostname = config.speaker.hostname;
        if (!(n.speaker.asn == config.speaker.asn &&
              n.speaker.router_id == config.speaker.router_id &&
              n.speaker.listen_addresses == config.speaker.listen_addresses &&
              n.speaker.listen_port == config.speaker.listen_port)) {
          KR_WARN("reload: AS, router ID and listen settings apply only after a restart");
        }
        report(kr::bgp::tool::apply_config(speaker, config, n));
        config = std::move(n);
        KR_INFO("reload: applied {}", path);
      }
      signals.async_wait(on_signal);
      return;
    }
    if (config.speaker.graceful_restart.enabled) {
      io.stop();  // connections drop: helpers keep our routes
      return;
    }
    speaker.shutdown(/*notify=*/true);
    // Let the NOTIFICATIONs reach the wire before exiting.
    linger.expires_after(std::chrono::milliseconds(300));
    linger.async_wait([&](const boost::system::error_code&) { io.stop(); });
  };
  signals.async_wait(on_signal);
  io.run();
  return 0;
}
