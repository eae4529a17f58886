// An apiserver-lite that also listens on 127.0.0.1 inside a network namespace of the test's own,
// where the kube-router under test runs, with the flags that point kube-router at it and helpers
// to create the objects a node's kube-router expects (its Node, namespaces, pods, policies).
#pragma once

#include <string>
#include <vector>

#include "apiserver_lite_fixture.h"
#include "support/netns.h"

namespace kr::test {

// kube-router's /healthz and /metrics inside the test's namespace (nothing else listens there).
inline constexpr int kHealthPort = 20244;
inline constexpr int kMetricsPort = 9090;

class ApiInNetns {
 public:
  explicit ApiInNetns(const ScopedNetns& netns);

  kr::testing::ApiServerLite& api() { return api_; }
  const kr::testing::ApiServerLite& api() const { return api_; }

  // kube-router flags for this API server with the given kubeconfig flavour, /healthz and
  // /metrics on 127.0.0.1, then `extra`.
  std::vector<std::string> args(kr::testing::KubeconfigAuth auth,
                                std::vector<std::string> extra = {}) const;

  // Creates the object (JSON) and fails the test unless the server answers 201; retried while
  // the server answers 503 (tests inject 503 bursts).
  void create(const std::string& object_json) const;
  // Merge patch (RFC 7386) of the object at `path`; fails the test unless the answer is 200.
  void patch(const std::string& path, const std::string& patch_json) const;
  // Deletes the object at `path`; fails the test unless the answer is 200.
  void remove(const std::string& path) const;

  // A Node as the kubelet registers it: one InternalIP and a pod CIDR.
  void create_node(const std::string& name, const std::string& internal_ip,
                   const std::string& pod_cidr) const;
  void create_namespace(const std::string& name) const;
  // A running pod on `node` with `pod_ip` (created, then its status written as the kubelet
  // does); `labels_json` like {"app":"web"}.
  void create_pod(const std::string& ns, const std::string& name, const std::string& node,
                  const std::string& pod_ip, const std::string& labels_json) const;

 private:
  static kr::testing::ApiServerLiteOptions options_listening_in(const ScopedNetns& netns);
  int netns_port() const;

  const ScopedNetns& netns_;
  kr::testing::ApiServerLite api_;
  std::string master_;
};

}  // namespace kr::test
