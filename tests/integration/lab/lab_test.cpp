// End-to-end check of tools/lab/lab.sh: a 3-node lab comes up, nodes reach
// each other and the API, pods get addresses from their node's pod CIDR and
// are registered, and `down` leaves the host as it found it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "support/netns.h"
#include "support/ports.h"
#include "support/root.h"
#include "support/run.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace kr::test {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using ::testing::HasSubstr;

constexpr int kNodes = 3;

// The binaries the lab runs: the ones this tree built, unless the environment
// names others (KR_LAB_APISERVER, KR_LAB_KUBE_ROUTER, as lab.sh reads them).
std::string binary(const char* env_name, const char* built) {
  const char* from_env = std::getenv(env_name);
  return from_env != nullptr && *from_env != '\0' ? from_env : built;
}
const std::string& apiserver_bin() {
  static const std::string path = binary("KR_LAB_APISERVER", KR_LAB_APISERVER_BIN);
  return path;
}
const std::string& kube_router_bin() {
  static const std::string path = binary("KR_LAB_KUBE_ROUTER", KR_LAB_KUBE_ROUTER_BIN);
  return path;
}

std::set<std::string> netns_set() {
  const auto names = list_netns();
  return {names.begin(), names.end()};
}

std::string host_links() { return check_output({"ip", "-o", "link", "show"}); }

// Processes whose command line mentions text (zombies have an empty one).
std::vector<pid_t> processes_mentioning(const std::string& text) {
  std::vector<pid_t> pids;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = read_file_or_empty(entry.path() / "cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.find(text) != std::string::npos) pids.push_back(std::stoi(name));
  }
  return pids;
}

// One lab, driven through lab.sh with its own state dir and name prefix, so
// it cannot collide with a developer's lab; `down` runs on destruction, also
// when an assertion ended the test early.
class Lab {
 public:
  Lab() : prefix_("krt-" + std::to_string(getpid()) + "-lab"), state_dir_(scratch_.file("state")) {}
  ~Lab() {
    if (!down_) run_lab({"down"});
  }

  RunResult run_lab(const std::vector<std::string>& args,
                    std::chrono::milliseconds timeout = minutes(2)) const {
    std::vector<std::string> argv = {KR_LAB_SCRIPT};
    argv.insert(argv.end(), args.begin(), args.end());
    RunOptions options;
    options.timeout = timeout;
    options.env = {"KR_LAB_DIR=" + state_dir_.string(), "KR_LAB_PREFIX=" + prefix_,
                   "KR_LAB_APISERVER=" + apiserver_bin(),
                   "KR_LAB_KUBE_ROUTER=" + kube_router_bin()};
    return run(argv, options);
  }
  RunResult down() {
    down_ = true;
    return run_lab({"down"});
  }

  std::string node(int i) const { return prefix_ + "-node" + std::to_string(i); }
  std::string node_ip(int i) const { return "10.250.0." + std::to_string(10 + i); }
  std::string pod_netns(const std::string& ns, const std::string& name) const {
    return prefix_ + "-pod-" + ns + "-" + name;
  }
  const std::string& prefix() const { return prefix_; }
  const std::filesystem::path& state_dir() const { return state_dir_; }

  // GET path on the API from the host, as JSON text; empty on failure.
  std::string api_get(const std::string& path) const {
    const int port = parse_port(read_file(state_dir_ / "apiserver.port")).value_or(0);
    return run({"curl", "-fsS", "--cacert", (state_dir_ / "pki/ca.crt").string(), "-H",
                "@" + (state_dir_ / "admin.header").string(),
                "https://127.0.0.1:" + std::to_string(port) + path})
        .out;
  }

 private:
  TempDir scratch_{"lab"};
  std::string prefix_;
  std::filesystem::path state_dir_;
  bool down_ = false;
};

std::string jq(const std::string& filter, const std::string& json) {
  RunOptions options;
  options.stdin_data = json;
  const RunResult result = run({"jq", "-r", filter}, options);
  return result.ok() ? result.out.substr(0, result.out.find('\n'))
                     : "<jq failed: " + result.err + ">";
}

bool ping_from(const std::string& netns, const std::string& address) {
  return run({"ip", "netns", "exec", netns, "ping", "-c", "1", "-W", "2", address}).ok();
}

TEST(Lab, UpPodsAndDownLeaveTheHostAsItWas) {
  KR_REQUIRE_ROOT_AND_TOOLS("ip", "curl", "jq", "ping", "openssl", "setsid", "/usr/lib/cni/bridge",
                            "/usr/lib/cni/host-local");
  if (apiserver_bin().empty()) GTEST_SKIP() << "this tree does not build apiserver-lite yet";
  const bool with_kube_router = !kube_router_bin().empty();
  // A namespace that is not the lab's: `down` must leave it alone.
  ScopedNetns bystander;
  const auto netns_before = netns_set();
  const std::string links_before = host_links();

  Lab lab;
  std::vector<std::string> up = {"up", "--nodes", std::to_string(kNodes), "--no-deps",
                                 "--no-build"};
  if (!with_kube_router) up.push_back("--no-kube-router");
  const RunResult started = lab.run_lab(up, minutes(5));
  ASSERT_TRUE(started.ok()) << started.describe(up);
  EXPECT_THAT(started.out, HasSubstr(lab.node(1)));
  EXPECT_THAT(started.out, HasSubstr("10.244.3.0/24"));
  EXPECT_THAT(started.out, HasSubstr("KUBECONFIG="));

  // Every node reaches every other node and the API server at 10.250.0.1.
  for (int i = 1; i <= kNodes; ++i) {
    for (int j = 1; j <= kNodes; ++j) {
      if (i != j) {
        EXPECT_TRUE(ping_from(lab.node(i), lab.node_ip(j))) << i << " -> " << j;
      }
    }
    const RunResult version = lab.run_lab({"exec", "node" + std::to_string(i), "curl", "-fsS",
                                           "--cacert", (lab.state_dir() / "pki/ca.crt").string(),
                                           "-H", "@" + (lab.state_dir() / "admin.header").string(),
                                           "https://10.250.0.1:6443/version"});
    EXPECT_TRUE(version.ok()) << version.describe({"exec", "curl", "/version"});
    EXPECT_THAT(version.out, HasSubstr("gitVersion"));
  }
  // The nodes are registered with their addresses and pod CIDRs.
  const std::string node2 = lab.api_get("/api/v1/nodes/" + lab.node(2));
  EXPECT_EQ(jq(".spec.podCIDR", node2), "10.244.2.0/24");
  EXPECT_EQ(jq(".status.addresses[] | select(.type == \"InternalIP\") | .address", node2),
            lab.node_ip(2));

  struct PodCase {
    int node;
    std::string name;
  };
  for (const PodCase& pod : {PodCase{1, "pod-a"}, PodCase{2, "pod-b"}}) {
    SCOPED_TRACE(pod.name);
    const std::vector<std::string> add = {"pod-add",         "node" + std::to_string(pod.node),
                                          "default",         pod.name,
                                          "app=" + pod.name, "tier=web"};
    const RunResult added = lab.run_lab(add);
    ASSERT_TRUE(added.ok()) << added.describe(add);

    const std::string object = lab.api_get("/api/v1/namespaces/default/pods/" + pod.name);
    const std::string ip = jq(".status.podIP", object);
    const std::string cidr_prefix = "10.244." + std::to_string(pod.node) + ".";
    EXPECT_TRUE(ip.starts_with(cidr_prefix)) << "pod IP " << ip << " outside its node's CIDR";
    EXPECT_EQ(jq(".spec.nodeName", object), lab.node(pod.node));
    EXPECT_EQ(jq(".status.phase", object), "Running");
    EXPECT_EQ(jq(".status.podIPs[0].ip", object), ip);
    EXPECT_EQ(jq(".metadata.labels.app", object), pod.name);
    // The address is really on the pod's interface, and the pod reaches its node.
    const RunResult addr = run({"ip", "-n", lab.pod_netns("default", pod.name), "-o", "-4", "addr",
                                "show", "dev", "eth0"});
    EXPECT_THAT(addr.out, HasSubstr(" " + ip + "/24"));
    EXPECT_TRUE(ping_from(lab.pod_netns("default", pod.name), cidr_prefix + "1"));
    EXPECT_TRUE(ping_from(lab.pod_netns("default", pod.name), lab.node_ip(pod.node)));
  }

  const RunResult stopped = lab.down();
  EXPECT_TRUE(stopped.ok()) << stopped.describe({"down"});
  EXPECT_FALSE(std::filesystem::exists(lab.state_dir()));
  EXPECT_EQ(host_links(), links_before) << "the host's links changed";
  const auto netns_after = netns_set();
  for (const auto& name : netns_after) {
    EXPECT_FALSE(name.starts_with(lab.prefix())) << "left behind: " << name;
  }
  for (const auto& name : netns_before) {
    EXPECT_TRUE(netns_after.contains(name)) << "down removed a namespace it did not make: " << name;
  }
  EXPECT_TRUE(wait_until([&] { return processes_mentioning(lab.state_dir().string()).empty(); },
                         seconds(10)))
      << "a process started by the lab is still running";
}

TEST(Lab, CommandsExplainMisuse) {
  KR_REQUIRE_ROOT_AND_TOOLS("ip", "jq");
  Lab lab;
  const RunResult status = lab.run_lab({"status"});
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.err, HasSubstr("no lab is up"));
  const RunResult nodes = lab.run_lab({"up", "--nodes", "0"});
  EXPECT_FALSE(nodes.ok());
  EXPECT_THAT(nodes.err, HasSubstr("--nodes must be"));
  const RunResult unknown = lab.run_lab({"frobnicate"});
  EXPECT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.err, HasSubstr("unknown command 'frobnicate'"));
  // down with nothing up is fine (idempotent).
  EXPECT_TRUE(lab.down().ok());
}

}  // namespace
}  // namespace kr::test
