// The controller's loop against a fake kernel (recorded restores): bursts of events coalesce
// into one pass, failures are retried, every pass sends a heartbeat.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "controllers/netpol/network_policy_controller.h"
#include "fixtures.h"
#include "options/kube_router_config.h"

namespace kr::netpol::testing {
namespace {

// Records iptables-restore documents; can hold a restore until released, or fail some.
struct FakeKernel {
  std::mutex mutex;
  std::condition_variable cv;
  bool hold = false;
  bool hold_removals = false;  // hold only documents that delete rules
  bool holding = false;
  int failures_left = 0;
  int restores = 0;

  void restore(std::string_view document) {
    std::unique_lock lock(mutex);
    ++restores;
    const bool removes = document.find("\n-D ") != std::string_view::npos;
    if (hold || (hold_removals && removes)) {
      holding = true;
      cv.notify_all();
      cv.wait(lock, [&] { return !hold && !(hold_removals && removes); });
      holding = false;
    }
    if (failures_left > 0) {
      --failures_left;
      throw netfilter::NetfilterError("iptables-restore: exit 1: fake failure");
    }
  }
};

class FakeIptables final : public netfilter::Iptables {
 public:
  explicit FakeIptables(FakeKernel& k) : k_(k) {}
  netfilter::IptablesBackend backend() const override { return netfilter::IptablesBackend::kNft; }
  std::string save_filter(Family) override { return ""; }
  void restore_filter(Family, std::string_view document) override { k_.restore(document); }

 private:
  FakeKernel& k_;
};

class FakeIpset final : public netfilter::Ipset {
 public:
  std::string save() override { return ""; }
  void restore(std::string_view) override {}
};

class ControllerUnit : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.iptables_sync_period = std::chrono::minutes(1);  // no periodic pass during a test
    source_ = std::make_shared<MemoryClusterSource>();
    source_->put(make_pod({.ns = "x", .name = "a", .ips = {"10.244.1.1"}}));
    NetworkPolicyController::Parts parts;
    struct Forward final : ClusterSource {
      explicit Forward(std::shared_ptr<MemoryClusterSource> s) : s_(std::move(s)) {}
      ClusterState snapshot() const override { return s_->snapshot(); }
      void subscribe(ChangeHandlers h) override { s_->subscribe(std::move(h)); }
      std::shared_ptr<MemoryClusterSource> s_;
    };
    parts.source = std::make_unique<Forward>(source_);
    parts.iptables = std::make_unique<FakeIptables>(kernel_);
    parts.ipset = std::make_unique<FakeIpset>();
    parts.heartbeat = [this] { ++heartbeats_; };
    controller_ =
        std::make_unique<NetworkPolicyController>(config_, test_node(), nullptr, std::move(parts));
  }

  options::Config config_;
  FakeKernel kernel_;
  std::atomic<int> heartbeats_{0};
  std::shared_ptr<MemoryClusterSource> source_;
  std::unique_ptr<NetworkPolicyController> controller_;
};

TEST_F(ControllerUnit, ABurstOfChangesIsProgrammedInOnePass) {
  controller_->start();
  ASSERT_TRUE(controller_->wait_until_programmed(std::chrono::seconds(10)));
  const auto before = controller_->stats();
  {
    std::lock_guard lock(kernel_.mutex);
    kernel_.hold = true;
  }
  source_->put(make_pod({.ns = "x", .name = "b", .ips = {"10.244.1.2"}}));
  {
    std::unique_lock lock(kernel_.mutex);
    ASSERT_TRUE(
        kernel_.cv.wait_for(lock, std::chrono::seconds(10), [&] { return kernel_.holding; }));
  }
  // While that pass is stuck in the kernel, 50 more pods arrive.
  for (int i = 0; i < 50; ++i) {
    source_->put(make_pod({.ns = "x",
                           .name = "p" + std::to_string(i),
                           .ips = {"10.244.1." + std::to_string(10 + i)}}));
  }
  {
    std::lock_guard lock(kernel_.mutex);
    kernel_.hold = false;
  }
  kernel_.cv.notify_all();
  ASSERT_TRUE(controller_->wait_until_programmed(std::chrono::seconds(10)));
  EXPECT_EQ(controller_->stats().passes - before.passes, 2u)
      << "one pass for the first pod, one for the 50 that came during it";
  controller_->stop();
}

TEST_F(ControllerUnit, ARemovalIsProgrammedBeforeItsCleanupFinishes) {
  source_->put(make_policy({.ns = "x", .name = "deny"}));
  controller_->start();
  ASSERT_TRUE(controller_->wait_until_programmed(std::chrono::seconds(10)));
  {
    std::lock_guard lock(kernel_.mutex);
    kernel_.hold_removals = true;
  }
  // x/a's chain loses its jump to the policy's chain: on nf_tables the first restore makes
  // that jump unreachable, the cleanup after it deletes it.
  source_->remove_policy("x", "deny");
  {
    std::unique_lock lock(kernel_.mutex);
    ASSERT_TRUE(
        kernel_.cv.wait_for(lock, std::chrono::seconds(10), [&] { return kernel_.holding; }));
  }
  EXPECT_TRUE(controller_->wait_until_programmed(std::chrono::seconds(10)))
      << "programmed while the cleanup is still in the kernel";
  {
    std::lock_guard lock(kernel_.mutex);
    kernel_.hold_removals = false;
  }
  kernel_.cv.notify_all();
  controller_->stop();
}

TEST_F(ControllerUnit, AFailedPassIsRetriedAndEveryPassSendsAHeartbeat) {
  kernel_.failures_left = 1;
  controller_->start();
  ASSERT_TRUE(controller_->wait_until_programmed(std::chrono::seconds(20)));
  const auto stats = controller_->stats();
  EXPECT_EQ(stats.failed_passes, 1u);
  EXPECT_GE(stats.passes, 2u);
  EXPECT_GE(heartbeats_.load(), static_cast<int>(stats.passes));
  controller_->stop();
}

TEST_F(ControllerUnit, UnrelatedPodChangesCauseNoPass) {
  controller_->start();
  ASSERT_TRUE(controller_->wait_until_programmed(std::chrono::seconds(10)));
  const auto before = controller_->stats();
  auto same = std::make_shared<k8s::Pod>(*source_->snapshot().pods.at(0));
  same->first_container_id = "containerd://new";
  source_->put(std::shared_ptr<const k8s::Pod>(same));
  ASSERT_TRUE(controller_->wait_until_programmed(std::chrono::seconds(10)));
  EXPECT_EQ(controller_->stats().passes, before.passes);
  controller_->stop();
}

TEST(ControllerConfig, BadFlagsAreRejectedWithTheirName) {
  options::Config config;
  config.service_cluster_ip_range = {"10.96.0.0"};
  NetworkPolicyController::Parts parts;
  parts.source = std::make_unique<MemoryClusterSource>();
  FakeKernel kernel;
  parts.iptables = std::make_unique<FakeIptables>(kernel);
  parts.ipset = std::make_unique<FakeIpset>();
  try {
    NetworkPolicyController c(config, test_node(), nullptr, std::move(parts));
    FAIL() << "accepted a bad --service-cluster-ip-range";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("--service-cluster-ip-range"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace kr::netpol::testing
