#include "model_env.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "options/kube_router_config.h"

namespace kr::netpol::testing {
namespace {

// Each controller owns its source; both forward to one shared in-memory cluster.
class SharedSource final : public ClusterSource {
 public:
  explicit SharedSource(std::shared_ptr<MemoryClusterSource> shared) : shared_(std::move(shared)) {}
  ClusterState snapshot() const override { return shared_->snapshot(); }
  void subscribe(ChangeHandlers handlers) override { shared_->subscribe(std::move(handlers)); }

 private:
  std::shared_ptr<MemoryClusterSource> shared_;
};

int node_of(const std::string& key) { return key.starts_with("z/") ? 1 : 0; }

int host_of(const std::string& key) {
  const auto& keys = ModelEnv::pod_keys();
  const int index = static_cast<int>(std::find(keys.begin(), keys.end(), key) - keys.begin());
  return node_of(key) == 0 ? index + 1 : index - 5;
}

constexpr auto kProgramTimeout = std::chrono::seconds(20);

}  // namespace

const std::vector<std::string>& ModelEnv::pod_keys() {
  static const std::vector<std::string> keys = {"x/a", "x/b", "x/c", "y/a", "y/b",
                                                "y/c", "z/a", "z/b", "z/c"};
  return keys;
}

ModelEnv::ModelEnv(netfilter::IptablesBackend backend, bool default_deny)
    : backend_(backend),
      default_deny_(default_deny),
      cluster_(2),
      source_(std::make_shared<MemoryClusterSource>()) {
  for (const std::string ns : {"x", "y", "z"}) {
    source_->put(make_namespace(ns, {{"ns", ns}}));
  }
  for (const std::string& key : pod_keys()) {
    cluster_.add_pod(key, node_of(key), host_of(key));
    source_->put(pod_object(key));
  }
  for (int node = 0; node < 2; ++node) {
    registries_.push_back(std::make_unique<observe::Registry>());
    heartbeats_.push_back(std::make_unique<std::atomic<int>>(0));
  }
  controllers_.resize(2);
  start_controller(0);
  start_controller(1);
}

ModelEnv::~ModelEnv() {
  for (auto& c : controllers_) {
    if (c) c->stop();
  }
}

std::shared_ptr<const k8s::Pod> ModelEnv::pod_object(const std::string& key, Labels extra) {
  const TestPod& p = cluster_.pod(key);
  const std::string ns = key.substr(0, 1), name = key.substr(2);
  auto pod = std::const_pointer_cast<k8s::Pod>(make_pod({.ns = ns,
                                                         .name = name,
                                                         .ips = {p.ip4, p.ip6},
                                                         .labels = {{"pod", name}},
                                                         .node = cluster_.node_name(p.node)}));
  for (const auto& [k, v] : extra) pod->meta.labels.set(k, v);
  for (const int port : {80, 81}) {
    for (const std::string proto : {"TCP", "UDP", "SCTP"}) {
      std::string lower = proto;
      for (char& c : lower) c = static_cast<char>(std::tolower(c));
      pod->container_ports.push_back(
          container_port(fmt::format("serve-{}-{}", port, lower), port, proto));
    }
  }
  return pod;
}

void ModelEnv::start_controller(int node) {
  options::Config config;
  config.enable_ipv6 = true;
  config.netpol_default_deny = default_deny_;
  config.service_cluster_ip_range = {"10.96.0.0/12", "fd00:96::/112"};
  const std::string path = cluster_.node_netns_path(node);
  NetworkPolicyController::Parts parts;
  parts.source = std::make_unique<SharedSource>(source_);
  parts.iptables = netfilter::make_iptables(backend_, path);
  parts.ipset = netfilter::make_ipset(path);
  parts.heartbeat = [count = heartbeats_.at(node).get()] { count->fetch_add(1); };
  NodeFacts facts{
      cluster_.node_name(node),
      {fmt::format("192.168.100.{}", node + 1)},
      {fmt::format("10.244.{}.0/24", node + 1), fmt::format("fd00:244:{}::/64", node + 1)}};
  controllers_.at(node) = std::make_unique<NetworkPolicyController>(
      config, facts, registries_.at(node).get(), std::move(parts));
  controllers_.at(node)->start();
  if (!controllers_.at(node)->wait_until_programmed(kProgramTimeout)) {
    throw std::runtime_error("controller on " + cluster_.node_name(node) + " never synced");
  }
}

void ModelEnv::stop_controller(int node) { controllers_.at(node).reset(); }

void ModelEnv::wait_programmed() {
  for (auto& c : controllers_) {
    if (c) {
      ASSERT_TRUE(c->wait_until_programmed(kProgramTimeout)) << "firewall not programmed";
    }
  }
}

void ModelEnv::set_policies(const std::vector<PolicySpec>& policies) {
  for (const std::string& key : policy_keys_) {
    source_->remove_policy(key.substr(0, key.find('/')), key.substr(key.find('/') + 1));
  }
  policy_keys_.clear();
  for (const PolicySpec& spec : policies) {
    source_->put(make_policy(spec));
    policy_keys_.push_back(spec.ns + "/" + spec.name);
  }
  wait_programmed();
}

void ModelEnv::label_namespace(const std::string& ns, Labels labels) {
  auto object = std::const_pointer_cast<k8s::Namespace>(make_namespace(ns, {{"ns", ns}}));
  for (const auto& [k, v] : labels) object->meta.labels.set(k, v);
  source_->put(std::shared_ptr<const k8s::Namespace>(object));
  wait_programmed();
}

void ModelEnv::label_pod(const std::string& key, Labels labels) {
  source_->put(pod_object(key, labels));
  wait_programmed();
}

std::string ModelEnv::check(const Reachability& r, Proto proto, int port,
                            std::vector<netfilter::Family> families) {
  std::string out;
  for (const netfilter::Family f : families) {
    const std::string diff = r.compare(cluster_.probe(r.pods(), r.pods(), proto, port, f));
    if (!diff.empty()) {
      out += fmt::format("{} {} port {} ({} backend):\n{}", family_name(f), proto_name(proto), port,
                         backend_name(backend_), diff);
    }
  }
  return out;
}

std::vector<std::string> ModelEnv::pod_cidrs(const std::string& key) {
  const TestPod& p = cluster_.pod(key);
  return {p.ip4 + "/32", p.ip6 + "/128"};
}

}  // namespace kr::netpol::testing
