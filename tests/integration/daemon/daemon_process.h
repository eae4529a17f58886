// A kube-router process for integration tests: started inside a network namespace of the
// test's own (so nothing it does can reach the host's network stack), pointed at an
// apiserver-lite that also listens inside that namespace, with helpers to read its /healthz and
// /metrics the way an operator's probe or Prometheus would.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support/netns.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace kr::test {

struct HttpAnswer {
  int status = 0;  // 0 when nothing answered
  std::string body;
};

class DaemonProcess {
 public:
  // Starts `kube-router args...` inside `netns`; stderr (the log) goes to a file in `dir`.
  // `env` ("KEY=VALUE") is added to the inherited environment.
  DaemonProcess(const ScopedNetns& netns, const TempDir& dir, std::vector<std::string> args,
                std::vector<std::string> env = {});

  Subprocess& process() { return process_; }
  std::string log() const;

  // GET http://127.0.0.1:port/path from inside the namespace.
  HttpAnswer get(int port, const std::string& path) const;

  // The value of one sample from the metrics endpoint, e.g.
  // metric(port, R"(kube_router_api_objects_cached{resource="pods"})").
  std::optional<double> metric(int port, const std::string& sample) const;

 private:
  const ScopedNetns& netns_;
  std::string log_path_;
  Subprocess process_;
};

// The kube-router binary under test.
std::string kube_router_binary();

}  // namespace kr::test
