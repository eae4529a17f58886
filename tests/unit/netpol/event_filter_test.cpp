// Which API changes reach a reconcile pass (upstream's Test_isPodUpdateNetPolRelevant,
// Test_isNetPolActionable, Test_isPodFinished).
#include "controllers/netpol/event_filter.h"

#include <gtest/gtest.h>

#include "controllers/netpol/cluster_index.h"
#include "fixtures.h"

namespace kr::netpol::testing {
namespace {

k8s::Pod running() {
  return *make_pod({.ns = "x", .name = "a", .ips = {"10.0.0.1"}, .labels = {{"app", "a"}}});
}

TEST(EventFilter, RelevantPodUpdates) {
  const k8s::Pod old = running();
  const auto changed = [&](auto edit) {
    k8s::Pod now = old;
    edit(now);
    return pod_change_matters(&old, &now);
  };
  EXPECT_TRUE(changed([](k8s::Pod& p) { p.phase = k8s::Interned("Succeeded"); }));
  EXPECT_TRUE(changed([](k8s::Pod& p) { p.pod_ips = {"10.0.0.2"}; }));
  EXPECT_TRUE(changed([](k8s::Pod& p) { p.pod_ips.push_back("fd00::1"); }));
  EXPECT_TRUE(changed([](k8s::Pod& p) { p.host_ip = k8s::Interned("192.168.1.10"); }));
  EXPECT_TRUE(changed([](k8s::Pod& p) { p.meta.labels.set("app", "b"); }));
  EXPECT_TRUE(changed([](k8s::Pod& p) { p.container_ports.push_back(container_port("h", 80)); }));
  EXPECT_FALSE(changed([](k8s::Pod& p) { p.first_container_id = "containerd://abc"; }));
  EXPECT_FALSE(changed([](k8s::Pod& p) { p.meta.resource_version = "42"; }));
}

TEST(EventFilter, AddsAndDeletesOfPodsWithoutAddressDoNotMatter) {
  const k8s::Pod pod = running();
  k8s::Pod pending = pod;
  pending.pod_ips.clear();
  EXPECT_TRUE(pod_change_matters(nullptr, &pod));
  EXPECT_TRUE(pod_change_matters(&pod, nullptr));
  EXPECT_FALSE(pod_change_matters(nullptr, &pending));
  EXPECT_FALSE(pod_change_matters(&pending, nullptr));
}

TEST(EventFilter, Actionable) {
  EXPECT_TRUE(pod_is_actionable(running()));
  for (const char* phase : {"Failed", "Succeeded", "Completed"}) {
    k8s::Pod p = running();
    p.phase = k8s::Interned(phase);
    EXPECT_FALSE(pod_is_actionable(p)) << phase;
  }
  for (const char* phase : {"Running", "Pending", "Unknown"}) {
    k8s::Pod p = running();
    p.phase = k8s::Interned(phase);
    EXPECT_TRUE(pod_is_actionable(p)) << phase;
  }
  k8s::Pod host = running();
  host.host_network = true;
  EXPECT_FALSE(pod_is_actionable(host));
  k8s::Pod no_ip = running();
  no_ip.pod_ips.clear();
  EXPECT_FALSE(pod_is_actionable(no_ip));
}

TEST(EventFilter, NamespaceLabelChanges) {
  const auto ns = make_namespace("x", {{"team", "a"}});
  auto relabelled = std::make_shared<k8s::Namespace>(*ns);
  relabelled->meta.labels.set("team", "b");
  auto touched = std::make_shared<k8s::Namespace>(*ns);
  touched->meta.resource_version = "7";
  EXPECT_TRUE(namespace_change_matters(ns.get(), relabelled.get()));
  EXPECT_FALSE(namespace_change_matters(ns.get(), touched.get()));
  EXPECT_TRUE(namespace_change_matters(nullptr, ns.get()));
  EXPECT_TRUE(namespace_change_matters(ns.get(), nullptr));
}

}  // namespace
}  // namespace kr::netpol::testing
