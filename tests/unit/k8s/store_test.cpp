#include "k8s/store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "k8s/resources.h"

namespace kr::k8s {
namespace {

std::shared_ptr<const Pod> pod(const std::string& ns, const std::string& name,
                               const std::string& rv = "1") {
  Pod p;
  p.meta.namespace_ = Interned(ns);
  p.meta.name = name;
  p.meta.resource_version = rv;
  return std::make_shared<const Pod>(std::move(p));
}

std::shared_ptr<const EndpointSlice> slice(const std::string& ns, const std::string& name,
                                           const std::string& service) {
  EndpointSlice s;
  s.meta.namespace_ = Interned(ns);
  s.meta.name = name;
  if (!service.empty()) {
    s.meta.labels.set(kServiceNameLabel, service);
  }
  return std::make_shared<const EndpointSlice>(std::move(s));
}

std::vector<std::string> keys(const std::vector<std::shared_ptr<const Pod>>& v) {
  std::vector<std::string> out;
  out.reserve(v.size());
  for (const auto& p : v) {
    out.push_back(p->meta.key());
  }
  return out;
}

TEST(Store, UpsertGetEraseAndSortedList) {
  Store<Pod> store;
  EXPECT_EQ(store.upsert(pod("b", "x")), nullptr);
  EXPECT_EQ(store.upsert(pod("a", "y")), nullptr);
  EXPECT_EQ(store.upsert(pod("a", "x")), nullptr);
  auto old = store.upsert(pod("a", "x", "2"));
  ASSERT_NE(old, nullptr);
  EXPECT_EQ(old->meta.resource_version, "1");
  const Snapshot<Pod> snap = store.snapshot();
  EXPECT_EQ(snap.size(), 3u);
  EXPECT_EQ(snap.get("a", "x")->meta.resource_version, "2");
  EXPECT_EQ(snap.get("a", "z"), nullptr);
  EXPECT_THAT(keys(snap.list()), ::testing::ElementsAre("a/x", "a/y", "b/x"));
  EXPECT_NE(store.erase("a", "y"), nullptr);
  EXPECT_EQ(store.erase("a", "y"), nullptr);
  EXPECT_EQ(store.size(), 2u);
}

TEST(Store, SnapshotIsImmutableWhileTheStoreMovesOn) {
  Store<Pod> store;
  store.upsert(pod("ns", "a"));
  const Snapshot<Pod> before = store.snapshot();
  store.upsert(pod("ns", "a", "2"));
  store.upsert(pod("ns", "b"));
  store.erase("ns", "a");
  EXPECT_EQ(before.size(), 1u);
  EXPECT_EQ(before.get("ns", "a")->meta.resource_version, "1");
  EXPECT_EQ(before.get("ns", "b"), nullptr);
  const Snapshot<Pod> after = store.snapshot();
  EXPECT_EQ(after.get("ns", "a"), nullptr);
  EXPECT_NE(after.get("ns", "b"), nullptr);
}

TEST(Store, ReplaceRebuildsEverything) {
  Store<Pod> store;
  for (int i = 0; i < 1000; ++i) {
    store.upsert(pod("ns", "p" + std::to_string(i)));
  }
  store.replace({pod("other", "q"), pod("ns", "p5", "9")});
  const auto snap = store.snapshot();
  EXPECT_EQ(snap.size(), 2u);
  EXPECT_EQ(snap.get("ns", "p5")->meta.resource_version, "9");
  EXPECT_EQ(snap.get("ns", "p6"), nullptr);
  int seen = 0;
  snap.for_each([&](const auto&) { ++seen; });
  EXPECT_EQ(seen, 2);
}

TEST(Store, ServiceNameIndexFollowsLabelChanges) {
  Store<EndpointSlice> store(&service_name_index);
  store.upsert(slice("shop", "web-1", "web"));
  store.upsert(slice("shop", "web-2", "web"));
  store.upsert(slice("other", "web-1", "web"));
  store.upsert(slice("shop", "orphan", ""));
  auto names = [&](std::string_view key) {
    std::vector<std::string> out;
    for (const auto& s : store.snapshot().indexed(key)) {
      out.push_back(s->meta.key());
    }
    return out;
  };
  EXPECT_THAT(names("shop/web"), ::testing::ElementsAre("shop/web-1", "shop/web-2"));
  EXPECT_THAT(names("other/web"), ::testing::ElementsAre("other/web-1"));
  EXPECT_TRUE(names("shop/").empty());          // slices without the label are not indexed
  store.upsert(slice("shop", "web-2", "api"));  // relabelled
  EXPECT_THAT(names("shop/web"), ::testing::ElementsAre("shop/web-1"));
  EXPECT_THAT(names("shop/api"), ::testing::ElementsAre("shop/web-2"));
  store.erase("shop", "web-1");
  EXPECT_TRUE(names("shop/web").empty());
  store.replace({slice("x", "s", "svc")});
  EXPECT_THAT(names("x/svc"), ::testing::ElementsAre("x/s"));
  EXPECT_TRUE(names("shop/api").empty());
}

TEST(Store, SnapshotsFromOtherThreadsWhileWriting) {
  Store<Pod> store;
  std::atomic<bool> done{false};
  std::thread reader([&] {
    while (!done) {
      const auto snap = store.snapshot();
      size_t n = 0;
      snap.for_each([&](const auto&) { ++n; });
      EXPECT_EQ(n, snap.size());
    }
  });
  for (int i = 0; i < 3000; ++i) {
    store.upsert(pod("ns", "p" + std::to_string(i % 500), std::to_string(i)));
    if (i % 3 == 0) {
      store.erase("ns", "p" + std::to_string((i * 7) % 500));
    }
  }
  done = true;
  reader.join();
}

}  // namespace
}  // namespace kr::k8s
