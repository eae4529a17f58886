// bench_proxy: the service proxy at the scale (5,000 ClusterIP services x 10
// endpoints) in a network namespace of its own (root and a kernel with IPVS and dummy links
// needed: run it in the kernel VM, tests/vm/vm.sh; the host is never touched).
//
// Measures, all in one run:
//   - the limit: the same IPVS table (5,000 services, 50,000 destinations) written by one bare
//     batched netlink apply, with no controller around it;
//   - full sync: a fresh controller programming an empty kernel, with only IPVS real
//     (kube-dummy-if and netfilter as no-ops: like for like with the limit) and with every real
//     part (VIPs on kube-dummy-if, ipsets, iptables); and a full resync that reads everything
//     back and finds nothing to change;
//   - one endpoint change: EndpointSlice event to kernel programmed (median and worst of 20
//     per round);
// Each is the median of kRounds interleaved rounds (the emulated CPU's speed drifts);
// it prints the ratios against the targets (full sync within 2x of the limit, one change at
// least 100x cheaper than a full sync).
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "base/log.h"
#include "controllers/proxy/dummy_interface.h"
#include "controllers/proxy/host_addresses.h"
#include "controllers/proxy/service_proxy_controller.h"
#include "kernel/ipvs/kernel_ipvs.h"
#include "kernel/netfilter/backend_detect.h"
#include "kernel/netfilter/command.h"
#include "options/kube_router_config.h"

namespace kr::proxy::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kServices = 5000;
constexpr int kEndpoints = 10;
constexpr int kChanges = 20;
constexpr int kRounds = 3;

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

void check(const std::vector<std::string>& argv) {
  const auto r = netfilter::run_command(argv, {});
  if (!r.ok()) throw std::runtime_error(netfilter::describe_failure(argv, r));
}

// A named network namespace with the node's address on a dummy "eth0", deleted at the end.
class Namespace {
 public:
  Namespace() : name_(fmt::format("kr-proxy-bench-{}-{}", getpid(), counter_++)) {
    check({"ip", "netns", "add", name_});
    check({"ip", "-n", name_, "link", "set", "lo", "up"});
    check({"ip", "-n", name_, "link", "add", "eth0", "type", "dummy"});
    check({"ip", "-n", name_, "addr", "add", "192.168.1.10/24", "dev", "eth0"});
    check({"ip", "-n", name_, "link", "set", "eth0", "up"});
  }
  ~Namespace() { netfilter::run_command({"ip", "netns", "delete", name_}, {}); }
  std::string path() const { return "/var/run/netns/" + name_; }

 private:
  static inline int counter_ = 0;
  std::string name_;
};

IpAddress nth(std::uint32_t base, std::uint32_t n) {
  const std::uint32_t v = base + n;
  const std::uint8_t bytes[4] = {static_cast<std::uint8_t>(v >> 24),
                                 static_cast<std::uint8_t>(v >> 16),
                                 static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
  return *IpAddress::from_bytes(bytes);
}
IpAddress cluster_ip(int i) { return nth(0x0A600000u, static_cast<std::uint32_t>(i + 1)); }
IpAddress endpoint_ip(int i, int j) {  // 10.200.0.0/16 holds all 50,000
  return nth(0x0AC80000u, static_cast<std::uint32_t>(i * kEndpoints + j + 1));
}

std::shared_ptr<const k8s::Service> service(int i) {
  auto s = std::make_shared<k8s::Service>();
  s->meta.namespace_ = k8s::Interned("bench");
  s->meta.name = fmt::format("svc-{}", i);
  s->type = k8s::Interned("ClusterIP");
  s->cluster_ip = cluster_ip(i).to_string();
  s->cluster_ips = {s->cluster_ip};
  k8s::ServicePort p;
  p.name = k8s::Interned("http");
  p.port = 80;
  p.protocol = k8s::Interned("TCP");
  s->ports = {p};
  return s;
}

// The slice of service i; `generation` moves one endpoint to a fresh address.
std::shared_ptr<const k8s::EndpointSlice> slice(int i, int generation = 0) {
  auto s = std::make_shared<k8s::EndpointSlice>();
  s->meta.namespace_ = k8s::Interned("bench");
  s->meta.name = fmt::format("svc-{}-abc", i);
  s->meta.labels.set(k8s::kServiceNameLabel, fmt::format("svc-{}", i));
  s->address_type = k8s::Interned("IPv4");
  k8s::EndpointPort port;
  port.name = k8s::Interned("http");
  port.port = 8080;
  s->ports = {port};
  for (int j = 0; j < kEndpoints; ++j) {
    k8s::Endpoint e;
    e.addresses = {j == 0 && generation > 0
                       ? nth(0x0AC90000u, static_cast<std::uint32_t>(generation)).to_string()
                       : endpoint_ip(i, j).to_string()};
    e.node_name = k8s::Interned(j % 2 ? "node-a" : "node-b");
    s->endpoints.push_back(e);
  }
  return s;
}

class NoVips final : public VipInterface {
 public:
  std::vector<IpAddress> list() override { return {}; }
  std::vector<std::string> apply(const std::vector<VipChange>& c) override {
    return std::vector<std::string>(c.size());
  }
};

class NoFirewall final : public ProxyFirewall {
 public:
  void sync_sets(Family, const FamilyNodeState&, const ServiceSets&, bool) override {}
  void sync_filter(Family, const FamilyNodeState&) override {}
  void sync_nat(Family, const FamilyNodeState&, const std::vector<std::string>&, bool) override {}
};

double limit_ms() {
  Namespace ns;
  auto ipvs = ipvs::open_kernel_ipvs(ns.path());
  std::vector<ipvs::Change> changes;
  changes.reserve(kServices * (kEndpoints + 1));
  for (int i = 0; i < kServices; ++i) {
    ipvs::Change add;
    add.kind = ipvs::Change::Kind::kAddService;
    add.service.key.address = cluster_ip(i);
    add.service.key.port = 80;
    changes.push_back(add);
    for (int j = 0; j < kEndpoints; ++j) {
      ipvs::Change dest;
      dest.kind = ipvs::Change::Kind::kAddDestination;
      dest.service.key = add.service.key;
      dest.destination.address = endpoint_ip(i, j);
      dest.destination.port = 8080;
      changes.push_back(dest);
    }
  }
  const auto start = Clock::now();
  const auto results = ipvs->apply(changes);
  const auto took = Clock::now() - start;
  for (const auto& r : results) {
    if (!r.ok()) throw std::runtime_error(r.what);
  }
  return ms(took);
}

struct Run {
  double full_ms = 0;
  double resync_ms = 0;
  std::vector<double> change_ms;
  std::uint64_t change_ipvs_ops = 0;
};

Run run_controller(bool real_vips, bool real_netfilter) {
  Namespace ns;
  auto source = std::make_unique<MemoryServiceSource>();
  MemoryServiceSource& objects = *source;
  for (int i = 0; i < kServices; ++i) {
    objects.put(service(i));
    objects.put(slice(i));
  }
  ServiceProxyController::Parts parts;
  parts.source = std::move(source);
  parts.ipvs = ipvs::open_kernel_ipvs(ns.path());
  const std::string path = ns.path();
  parts.interface_addresses = [path] { return list_interface_addresses(path); };
  if (real_vips) {
    parts.dummy = std::make_unique<DummyInterface>(path);
  } else {
    parts.dummy = std::make_unique<NoVips>();
  }
  if (real_netfilter) {
    parts.firewall = std::make_unique<NetfilterFirewall>(netfilter::detect_backend(path), path);
  } else {
    parts.firewall = std::make_unique<NoFirewall>();
  }
  NodeFacts node;
  node.name = "node-a";
  node.primary_ip = IpAddress::must_parse("192.168.1.10");
  node.best_v4 = node.primary_ip;
  node.node_ips = {node.primary_ip};
  node.pod_cidrs = {*Cidr::parse("10.244.1.0/24")};
  options::Config config;
  config.service_cluster_ip_range = {"10.96.0.0/12"};
  config.ipvs_sync_period = std::chrono::hours(1);
  ServiceProxyController controller(config, node, nullptr, std::move(parts));

  Run run;
  auto start = Clock::now();
  controller.start();
  if (!controller.wait_until_programmed(std::chrono::minutes(30))) {
    throw std::runtime_error("full sync did not finish");
  }
  run.full_ms = ms(Clock::now() - start);
  if (controller.stats().failed_passes != 0) throw std::runtime_error("full sync failed");

  start = Clock::now();
  if (!controller.resync(std::chrono::minutes(30))) throw std::runtime_error("resync failed");
  run.resync_ms = ms(Clock::now() - start);

  const auto before = controller.stats();
  for (int k = 1; k <= kChanges; ++k) {
    const int i = (k * 997) % kServices;
    start = Clock::now();
    objects.put(slice(i, k));
    if (!controller.wait_until_programmed(std::chrono::minutes(1))) {
      throw std::runtime_error("endpoint change not programmed");
    }
    run.change_ms.push_back(ms(Clock::now() - start));
  }
  run.change_ipvs_ops = controller.stats().ipvs_changes - before.ipvs_changes;
  controller.stop();
  return run;
}

int main_impl() {
  log::set_verbosity(0);
  fmt::print("bench_proxy: {} ClusterIP services x {} endpoints ({} IPVS changes), median of {}\n",
             kServices, kEndpoints, kServices * (kEndpoints + 1), kRounds);
  // Interleaved rounds, so a slow spell of the emulated CPU hits every measurement alike.
  std::vector<double> limits, ipvs_only, all, resyncs, changes;
  std::uint64_t change_ops = 0;
  for (int round = 0; round < kRounds; ++round) {
    limits.push_back(limit_ms());
    ipvs_only.push_back(run_controller(false, false).full_ms);
    const Run every = run_controller(true, true);
    all.push_back(every.full_ms);
    resyncs.push_back(every.resync_ms);
    changes.insert(changes.end(), every.change_ms.begin(), every.change_ms.end());
    change_ops += every.change_ipvs_ops;
  }
  const double limit = median(limits);
  const double full = median(all);
  const double change = median(changes);
  fmt::print("limit: bare batched netlink write of the IPVS table   {:9.1f} ms\n", limit);
  fmt::print(
      "full sync, IPVS only (no-op VIPs and netfilter)      {:9.1f} ms  ({:.2f}x the limit)\n",
      median(ipvs_only), median(ipvs_only) / limit);
  fmt::print(
      "full sync, every part (VIPs, ipsets, iptables)       {:9.1f} ms  ({:.2f}x the limit)\n",
      full, full / limit);
  fmt::print("full resync finding nothing to change (reads kernel) {:9.1f} ms\n", median(resyncs));
  fmt::print(
      "one endpoint change, event to kernel: median {:.2f} ms, worst {:.2f} ms "
      "({} IPVS changes for {} events)\n",
      change, *std::max_element(changes.begin(), changes.end()), change_ops, changes.size());
  fmt::print(
      "ratios: full sync / limit = {:.2f} (target <= 2); full sync / one change = {:.0f} "
      "(target >= 100)\n",
      full / limit, full / change);
  return 0;
}

}  // namespace
}  // namespace kr::proxy::bench

int main() {
  try {
    return kr::proxy::bench::main_impl();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_proxy: %s\n", e.what());
    return 1;
  }
}
