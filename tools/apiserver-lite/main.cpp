// apiserver-lite: see usage() in options.cpp and README.md.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>

#include "auth.h"
#include "base/log.h"
#include "faults.h"
#include "http_server.h"
#include "netns_listener.h"
#include "options.h"
#include "registry.h"
#include "router.h"
#include "tls_context.h"
#include "watch_hub.h"

namespace {

using namespace kr::apiserver_lite;

// Written to FILE.tmp then renamed, so a reader never sees a partial file.
void write_port_file(const std::string& path, const std::string& contents) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << contents;
    if (!out.flush()) {
      throw std::runtime_error("--port-file " + path + ": cannot write " + temporary);
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    throw std::runtime_error("--port-file " + path + ": cannot rename " + temporary);
  }
}

std::string host_port(const std::string& address, uint16_t port) {
  return address.find(':') != std::string::npos ? "[" + address + "]:" + std::to_string(port)
                                                : address + ":" + std::to_string(port);
}

int run(const Options& options) {
  Authenticator auth;
  if (!options.token_auth_file.empty()) {
    auth.load_token_file(options.token_auth_file);
  }
  for (const auto& user : options.readonly_users) {
    auth.add_readonly_user(user);
  }
  if (options.token_auth_file.empty() && options.client_ca_file.empty()) {
    KR_WARN("neither --token-auth-file nor --client-ca-file given: every request will get 401");
  }
  boost::asio::ssl::context tls = make_server_tls_context(
      options.tls_cert_file, options.tls_private_key_file, options.client_ca_file);

  ServiceNetworkConfig services;
  services.node_port_min = options.node_port_min;
  services.node_port_max = options.node_port_max;
  for (const auto& cidr : options.service_cluster_ip_ranges) {
    const auto range = IpRange::parse(cidr);
    if (!range) {
      throw std::runtime_error("--service-cluster-ip-range: \"" + cidr + "\" is not a CIDR");
    }
    for (const auto& other : services.cluster_ip_ranges) {
      if (other.family == range->family) {
        throw std::runtime_error("--service-cluster-ip-range: two CIDRs of the same IP family");
      }
    }
    services.cluster_ip_ranges.push_back(*range);
  }

  Store store(options.history_window);
  WatchHub hub(store);
  Registry registry(store, services);
  registry.bootstrap();
  Faults faults;
  Router router(store, registry, hub, faults, options.enable_faults);

  boost::asio::io_context io;
  HttpServer server(io, tls, router, auth, faults, hub, options.bookmark_interval);
  std::string port_lines;
  std::string first_port;
  for (const auto& listen : options.listen) {
    const uint16_t port =
        listen.netns.empty()
            ? server.listen(listen.address, listen.port)
            : server.adopt(listen_in_netns(listen.netns, listen.address, listen.port));
    if (first_port.empty()) {
      first_port = std::to_string(port);
    }
    port_lines += listen.netns.empty() ? "listen " + host_port(listen.address, port) + "\n"
                                       : "listen-netns " + listen.netns + " " +
                                             host_port(listen.address, port) + "\n";
    KR_INFO("apiserver-lite listening on {}{}", host_port(listen.address, port),
            listen.netns.empty() ? "" : " in network namespace " + listen.netns);
  }
  if (!options.port_file.empty()) {
    write_port_file(options.port_file, first_port + "\n" + port_lines);
  }

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  boost::asio::steady_timer drain(io);
  int drain_ticks = 0;
  std::function<void()> wait_for_drain = [&] {
    // Exit once the last connection is gone, or after 5 s if one will not finish.
    if (!server.has_connections() || ++drain_ticks > 100) {
      io.stop();
      return;
    }
    drain.expires_after(std::chrono::milliseconds(50));
    drain.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) {
        wait_for_drain();
      }
    });
  };
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) {
      return;
    }
    KR_INFO("received signal {}, shutting down", signal);
    server.shutdown();
    wait_for_drain();
  });
  server.start();
  io.run();
  KR_INFO("apiserver-lite stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  try {
    options = parse_options(argc, argv);
  } catch (const OptionsError& e) {
    std::cerr << "apiserver-lite: " << e.what() << "\n"
              << "run with --help for usage\n";
    return 2;
  }
  if (options.help) {
    std::cout << usage();
    return 0;
  }
  kr::log::set_verbosity(options.verbosity);
  std::signal(SIGPIPE, SIG_IGN);
  try {
    return run(options);
  } catch (const std::exception& e) {
    KR_ERROR("apiserver-lite: {}", e.what());
    return 1;
  }
}
