// The netns helpers against the real kernel: namespaces, veths, processes
// inside them, and cleanup that holds even when a test body throws.
#include "support/netns.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <stdexcept>

#include "support/root.h"
#include "support/run.h"
#include "support/veth.h"
#include "support/wait.h"

namespace kr::test {
namespace {

using std::chrono::seconds;
using ::testing::HasSubstr;
using ::testing::Not;

#define REQUIRE_NETNS_TOOLS() KR_REQUIRE_ROOT_AND_TOOLS("ip", "ping", "sleep")

bool listed_by_ip(const std::string& name) {
  const std::string listing = check_output({"ip", "netns", "list"});
  // `ip netns list` prints "name" or "name (id: N)" per line.
  for (size_t start = 0; start < listing.size();) {
    const size_t end = std::min(listing.find('\n', start), listing.size());
    const std::string line = listing.substr(start, end - start);
    if (line == name || line.starts_with(name + " ")) return true;
    start = end + 1;
  }
  return false;
}

std::string host_links() { return check_output({"ip", "-o", "link", "show"}); }

bool ping(const ScopedNetns& from, const std::string& address) {
  return from.run({"ping", "-c", "1", "-W", "2", address}).ok();
}

TEST(ScopedNetns, TwoNamespacesJoinedByVethCanPing) {
  REQUIRE_NETNS_TOOLS();
  const std::string links_before = host_links();
  {
    ScopedNetns a;
    ScopedNetns b;
    EXPECT_NE(a.name(), b.name());
    EXPECT_TRUE(a.name().starts_with("krt-"));
    EXPECT_TRUE(listed_by_ip(a.name()));
    connect_veth({a.name(), "eth0", "10.199.0.1/30"}, {b.name(), "eth0", "10.199.0.2/30"});

    EXPECT_TRUE(ping(a, "10.199.0.2"));
    EXPECT_TRUE(ping(b, "10.199.0.1"));
    EXPECT_THAT(a.ip({"-o", "addr", "show", "dev", "eth0"}), HasSubstr("10.199.0.1/30"));
    EXPECT_FALSE(ping(a, "10.199.0.3")) << "an address nobody has must not answer";
  }
  EXPECT_EQ(host_links(), links_before) << "the host's links changed";
}

TEST(ScopedNetns, LoopbackIsUp) {
  REQUIRE_NETNS_TOOLS();
  ScopedNetns ns;
  EXPECT_TRUE(ping(ns, "127.0.0.1"));
}

TEST(ScopedNetns, ProcessesRunInsideTheNamespace) {
  REQUIRE_NETNS_TOOLS();
  ScopedNetns a;
  ScopedNetns b;
  connect_veth({a.name(), "left", ""}, {b.name(), "right", ""});
  // Each entry method sees the namespace's own links, not the host's.
  EXPECT_THAT(a.run({"ip", "-o", "link"}).out, HasSubstr("left@"));
  RunOptions via_ip;
  via_ip.netns_entry = NetnsEntry::kIpNetnsExec;
  const RunResult result = b.run({"ip", "-o", "link"}, via_ip);
  EXPECT_THAT(result.out, HasSubstr("right@"));
  EXPECT_THAT(result.out, Not(HasSubstr("left@")));
}

TEST(ScopedNetns, PidsListsProcessesInside) {
  REQUIRE_NETNS_TOOLS();
  ScopedNetns ns;
  EXPECT_TRUE(ns.pids().empty());
  Subprocess sleeper = ns.spawn({"sleep", "100"});
  EXPECT_THAT(ns.pids(), ::testing::ElementsAre(sleeper.pid()));
  EXPECT_THAT(netns_pids(ns.name()), ::testing::ElementsAre(sleeper.pid()));
}

TEST(ScopedNetns, RemovedWithItsProcessesWhenTheTestBodyThrows) {
  REQUIRE_NETNS_TOOLS();
  const std::string links_before = host_links();
  std::string first;
  std::string second;
  pid_t orphan = -1;
  try {
    ScopedNetns a;
    ScopedNetns b;
    first = a.name();
    second = b.name();
    connect_veth({a.name(), "eth0", "10.199.1.1/24"}, {b.name(), "eth0", "10.199.1.2/24"});
    // A daemon that nobody owns: started detached, so only the namespace's
    // cleanup can end it.
    check_output({"ip", "netns", "exec", b.name(), "setsid", "-f", "sleep", "300"});
    ASSERT_TRUE(wait_until([&] { return b.pids().size() == 1; }, seconds(10)));
    orphan = b.pids().front();
    throw std::runtime_error("assertion failed in the middle of the test");
  } catch (const std::runtime_error&) {
  }
  ASSERT_FALSE(first.empty());
  EXPECT_FALSE(listed_by_ip(first));
  EXPECT_FALSE(listed_by_ip(second));
  EXPECT_FALSE(netns_exists(first));
  EXPECT_TRUE(wait_until([&] { return kill(orphan, 0) != 0; }, seconds(10)))
      << "process " << orphan << " outlived its namespace";
  EXPECT_EQ(host_links(), links_before) << "the host's links changed";
}

TEST(ScopedNetns, RemoveIsIdempotent) {
  REQUIRE_NETNS_TOOLS();
  ScopedNetns ns;
  ns.remove();
  EXPECT_FALSE(netns_exists(ns.name()));
  ns.remove();  // and the destructor runs it a third time
}

TEST(ReapStaleNetns, RemovesNamespacesOfDeadTestProcessesOnly) {
  REQUIRE_NETNS_TOOLS();
  // A pid that is certainly not running: a child that has exited and been reaped.
  Subprocess finished({"true"});
  const pid_t dead = finished.pid();
  finished.wait();
  ASSERT_NE(kill(dead, 0), 0);

  const std::string stale = "krt-" + std::to_string(dead) + "-7";
  const std::string live = "krt-" + std::to_string(getpid()) + "-reap-check";
  const std::string foreign = "krt-unrelated-" + std::to_string(getpid());
  for (const auto& name : {stale, live, foreign}) check_output({"ip", "netns", "add", name});
  check_output({"ip", "netns", "exec", stale, "setsid", "-f", "sleep", "300"});
  ASSERT_TRUE(wait_until([&] { return netns_pids(stale).size() == 1; }, seconds(10)));
  const pid_t leftover = netns_pids(stale).front();

  const auto removed = reap_stale_netns();

  EXPECT_THAT(removed, ::testing::Contains(stale));
  EXPECT_FALSE(netns_exists(stale));
  EXPECT_TRUE(netns_exists(live)) << "namespace of a live process was reaped";
  EXPECT_TRUE(netns_exists(foreign)) << "a name without a pid was reaped";
  EXPECT_TRUE(wait_until([&] { return kill(leftover, 0) != 0; }, seconds(10)));
  EXPECT_TRUE(kill_and_delete_netns(live));
  EXPECT_TRUE(kill_and_delete_netns(foreign));
  EXPECT_FALSE(netns_exists(live));
}

TEST(ConnectVeth, RejectsInterfaceNamesTheKernelWouldRefuse) {
  REQUIRE_NETNS_TOOLS();
  ScopedNetns a;
  ScopedNetns b;
  EXPECT_THROW(connect_veth({a.name(), "a-name-that-is-too-long", ""}, {b.name(), "eth0", ""}),
               std::invalid_argument);
  EXPECT_THROW(connect_veth({a.name(), "eth0", ""}, {"krt-no-such-netns", "eth0", ""}),
               std::runtime_error);
}

}  // namespace
}  // namespace kr::test
