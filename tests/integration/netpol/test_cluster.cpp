#include "test_cluster.h"

#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/run.h"
#include "support/veth.h"
#include "support/wait.h"

namespace kr::netpol::testing {
namespace {

using kr::test::check_output;

void sysctl(const kr::test::ScopedNetns& ns, const std::string& setting) {
  const auto r = ns.run({"sysctl", "-q", "-w", setting});
  if (!r.ok()) throw std::runtime_error(r.describe({"sysctl", setting}));
}

// Lines the server printed since `offset` bytes.
std::string read_from(const std::filesystem::path& path, size_t offset) {
  const std::string all = kr::test::read_file_or_empty(path);
  return offset < all.size() ? all.substr(offset) : std::string();
}

}  // namespace

std::string_view proto_name(Proto p) {
  return p == Proto::kTcp ? "tcp" : p == Proto::kUdp ? "udp" : "sctp";
}

std::string probe_binary() {
  char self[4096] = {};
  const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  return (std::filesystem::path(std::string(self, n > 0 ? n : 0)).parent_path() / "netpol_probe")
      .string();
}

TestCluster::TestCluster(int nodes) : dir_("netpol") {
  for (int i = 0; i < nodes; ++i) {
    nodes_.push_back(std::make_unique<kr::test::ScopedNetns>());
    sysctl(*nodes_.back(), "net.ipv4.ip_forward=1");
    sysctl(*nodes_.back(), "net.ipv6.conf.all.forwarding=1");
    // REJECT answers through the ICMP rate limiters; with them out of the way every blocked
    // probe is refused at once instead of waiting for a retransmission.
    sysctl(*nodes_.back(), "net.ipv4.icmp_ratelimit=0");
    sysctl(*nodes_.back(), "net.ipv6.icmp.ratelimit=0");
    sysctl(*nodes_.back(), "net.ipv4.icmp_msgs_per_sec=100000");
    sysctl(*nodes_.back(), "net.ipv4.icmp_msgs_burst=100000");
  }
  // A chain of links is enough for the two-node tests: node i <-> node 0.
  for (int i = 1; i < nodes; ++i) {
    kr::test::connect_veth({nodes_[0]->name(), fmt::format("n{}", i), "192.168.100.1/24"},
                           {nodes_[i]->name(), "n0", fmt::format("192.168.100.{}/24", i + 1)});
    nodes_[0]->ip({"-6", "addr", "add", fmt::format("fd00:100::1/64"), "dev", fmt::format("n{}", i),
                   "nodad"});
    nodes_[i]->ip(
        {"-6", "addr", "add", fmt::format("fd00:100::{}/64", i + 1), "dev", "n0", "nodad"});
    // A node forwarding a pod's packet resolves the next hop with a neighbour solicitation sent
    // from a link-local address of the link, and Linux sends none while the link's only one is
    // the automatic address still in duplicate address detection (1-2 s after the link comes
    // up): the first packets between the nodes would wait in the neighbour queue, long enough
    // for a probe to time out. Each end gets a link-local address usable at once, as the pod
    // links' gateways have.
    nodes_[0]->ip({"-6", "addr", "add", "fe80::1/64", "dev", fmt::format("n{}", i), "nodad"});
    nodes_[i]->ip({"-6", "addr", "add", fmt::format("fe80::{}/64", i + 1), "dev", "n0", "nodad"});
    nodes_[0]->ip({"route", "add", fmt::format("10.244.{}.0/24", i + 1), "via",
                   fmt::format("192.168.100.{}", i + 1)});
    nodes_[i]->ip({"route", "add", "10.244.0.0/16", "via", "192.168.100.1"});
    nodes_[0]->ip({"-6", "route", "add", fmt::format("fd00:244:{}::/64", i + 1), "via",
                   fmt::format("fd00:100::{}", i + 1)});
    nodes_[i]->ip({"-6", "route", "add", "fd00:244::/32", "via", "fd00:100::1"});
  }
}

TestCluster::~TestCluster() {
  for (auto& p : pods_) {
    if (p->server) p->server->stop(std::chrono::milliseconds(500));
  }
}

std::string TestCluster::node_netns_path(int i) const {
  return "/var/run/netns/" + nodes_.at(i)->name();
}

TestPod& TestCluster::add_pod(const std::string& key, int node, int host) {
  auto pod = std::make_unique<TestPod>();
  pod->key = key;
  pod->node = node;
  pod->ip4 = fmt::format("10.244.{}.{}", node + 1, host);
  pod->ip6 = fmt::format("fd00:244:{}::{}", node + 1, host);
  pod->netns = std::make_unique<kr::test::ScopedNetns>();
  const kr::test::ScopedNetns& n = *nodes_.at(node);
  const kr::test::ScopedNetns& p = *pod->netns;
  const std::string host_if = fmt::format("vp{}", next_veth_++);
  kr::test::connect_veth({p.name(), "eth0", pod->ip4 + "/32"}, {n.name(), host_if, ""});
  n.ip({"addr", "add", "169.254.1.1/32", "dev", host_if});
  n.ip({"-6", "addr", "add", "fe80::1/64", "dev", host_if, "nodad"});
  n.ip({"route", "add", pod->ip4 + "/32", "dev", host_if});
  n.ip({"-6", "route", "add", pod->ip6 + "/128", "dev", host_if});
  p.ip({"-6", "addr", "add", pod->ip6 + "/128", "dev", "eth0", "nodad"});
  p.ip({"route", "add", "169.254.1.1", "dev", "eth0"});
  p.ip({"route", "add", "default", "via", "169.254.1.1", "dev", "eth0"});
  p.ip({"-6", "route", "add", "default", "via", "fe80::1", "dev", "eth0"});

  pod->server_log = dir_.file(fmt::format("server-{}.log", pods_.size()));
  kr::test::SpawnOptions options;
  options.stdout_path = pod->server_log;
  pod->server = std::make_unique<kr::test::Subprocess>(
      p.spawn({probe_binary(), "serve", "80", "81"}, options));
  const std::filesystem::path log = pod->server_log;
  if (!kr::test::wait_until([&] { return kr::test::read_file_or_empty(log).starts_with("ready"); },
                            std::chrono::seconds(10))) {
    throw std::runtime_error("netpol_probe server did not start in " + key);
  }
  pods_.push_back(std::move(pod));
  return *pods_.back();
}

TestPod& TestCluster::pod(const std::string& key) {
  for (auto& p : pods_) {
    if (p->key == key) return *p;
  }
  throw std::out_of_range("no test pod " + key);
}

std::vector<ProbeResult> TestCluster::probe(const std::vector<std::string>& from,
                                            const std::vector<std::string>& to, Proto proto,
                                            int port, netfilter::Family family) {
  std::map<std::string, size_t> log_offsets;
  for (const std::string& t : to) {
    log_offsets[t] = kr::test::read_file_or_empty(pod(t).server_log).size();
  }
  struct Running {
    std::string from;
    std::filesystem::path out;
    kr::test::Subprocess process;
  };
  std::vector<Running> running;
  static int counter = 0;
  for (const std::string& f : from) {
    std::vector<std::string> argv = {probe_binary(), "probe", "2000"};
    for (const std::string& t : to) {
      const std::string& ip = pod(t).ip(family);
      argv.push_back(fmt::format("{}:{}:{}", proto_name(proto),
                                 family == netfilter::Family::kIPv6 ? "[" + ip + "]" : ip, port));
    }
    kr::test::SpawnOptions options;
    options.stdout_path = dir_.file(fmt::format("probe-{}.out", counter++));
    const std::filesystem::path out = options.stdout_path;
    running.push_back({f, out, pod(f).netns->spawn(argv, options)});
  }
  std::vector<ProbeResult> results;
  for (Running& r : running) {
    r.process.wait_for(std::chrono::seconds(30));
    std::istringstream lines(kr::test::read_file_or_empty(r.out));
    for (const std::string& t : to) {
      std::string target, outcome, elapsed;
      lines >> target >> outcome >> elapsed;
      results.push_back({r.from, t, outcome == "ok", outcome});
    }
  }
  if (proto == Proto::kSctp) {
    // Delivery is synchronous with the send; give the servers a moment to print what they got.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    for (ProbeResult& r : results) {
      const std::string seen = read_from(pod(r.to).server_log, log_offsets[r.to]);
      const std::string line = fmt::format("sctp {} {}\n", pod(r.from).ip(family), port);
      r.connected = seen.find(line) != std::string::npos;
      r.outcome = r.connected ? "delivered" : "missing";
    }
  }
  return results;
}

}  // namespace kr::netpol::testing
