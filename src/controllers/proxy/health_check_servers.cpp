#include "controllers/proxy/health_check_servers.h"

#include <chrono>
#include <future>
#include <mutex>

#include "base/log.h"
#include "fmt/format.h"
#include "k8s/informer.h"
#include "observe/http_server.h"

namespace kr::proxy {

// Counts are read by handlers on the io thread and written by the controller's worker; the
// servers themselves are created, stopped and destroyed on the io thread only.
struct HealthCheckServers::Shared {
  Shared(boost::asio::io_context& io_context, std::string host_name)
      : io(io_context), host(std::move(host_name)) {}

  boost::asio::io_context& io;
  std::string host;
  std::mutex mutex;
  std::map<std::uint16_t, std::uint32_t> counts;
  std::map<std::uint16_t, std::unique_ptr<observe::HttpServer>> servers;  // io thread only

  std::uint32_t count(std::uint16_t port) {
    const std::lock_guard lock(mutex);
    const auto it = counts.find(port);
    return it != counts.end() ? it->second : 0;
  }
};

HealthCheckServers::HealthCheckServers(boost::asio::io_context& io, std::string host)
    : shared_(std::make_shared<Shared>(io, std::move(host))) {}

HealthCheckServers::~HealthCheckServers() { stop_all(); }

observe::HttpResponse HealthCheckServers::answer(std::uint32_t local_endpoints) {
  observe::HttpResponse r;
  if (local_endpoints > 0) {
    r.status = 200;
    r.body = fmt::format("{} Service Endpoints found\n", local_endpoints);
  } else {
    r.status = 503;
    r.body = "No Service Endpoints Found\n";
  }
  return r;
}

void HealthCheckServers::update(const std::map<std::uint16_t, std::uint32_t>& ports) {
  {
    const std::lock_guard lock(shared_->mutex);
    shared_->counts = ports;
  }
  auto done = std::make_shared<std::promise<void>>();
  auto finished = done->get_future();
  k8s::post_to(shared_->io, [shared = shared_, ports, done] {
    auto& servers = shared->servers;
    for (auto it = servers.begin(); it != servers.end();) {
      if (ports.contains(it->first)) {
        ++it;
        continue;
      }
      KR_INFO("stopping NodePort health check server on port {}", it->first);
      it->second->stop();
      it = servers.erase(it);
    }
    for (const auto& [port, count] : ports) {
      if (servers.contains(port)) {
        continue;
      }
      observe::HttpRouter router;
      router.add("/healthz", [weak = std::weak_ptr<Shared>(shared), port = port](const auto&) {
        const auto s = weak.lock();
        return answer(s ? s->count(port) : 0);
      });
      auto server = std::make_unique<observe::HttpServer>(
          shared->io, fmt::format("NodePort health check {}", port), std::move(router));
      if (auto error = server->listen({shared->host, port})) {
        // Retried on the next update (e.g. the port was still held by a previous server).
        KR_ERROR("NodePort health check server for port {}: {}", port, *error);
        continue;
      }
      servers.emplace(port, std::move(server));
    }
    done->set_value();
  });
  // The io thread may already have stopped at shutdown; do not hang on it.
  if (finished.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
    KR_WARN("NodePort health check servers: the event loop did not answer within 5 s");
  }
}

}  // namespace kr::proxy
