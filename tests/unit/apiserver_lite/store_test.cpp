#include "store.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "object_meta.h"

namespace kr::apiserver_lite {
namespace {

namespace json = boost::json;

const ResourceType& pods() { return *find_resource("", "v1", "pods"); }

json::object pod(const std::string& name, const std::string& phase = "") {
  json::object object =
      json::parse(R"({"metadata":{"namespace":"default","name":")" + name + R"("}})").as_object();
  if (!phase.empty()) {
    object["status"] = json::object{{"phase", phase}};
  }
  return object;
}

std::vector<std::string> keys(const Store::Snapshot& snapshot) {
  std::vector<std::string> out;
  for (const auto& [key, object] : snapshot) {
    out.push_back(key);
  }
  return out;
}

TEST(Store, EveryWriteGetsTheNextGlobalRevision) {
  Store store(100);
  const auto a = store.put(pods(), "default/a", pod("a"));
  const auto b = store.put(pods(), "default/b", pod("b"));
  EXPECT_EQ(meta_string(*a, "resourceVersion"), "1");
  EXPECT_EQ(meta_string(*b, "resourceVersion"), "2");
  const auto gone = store.remove(pods(), "default/a");
  EXPECT_EQ(meta_string(*gone, "resourceVersion"), "3");  // DELETED carries the delete's RV
  EXPECT_EQ(store.current_rv(), 3u);
  EXPECT_EQ(store.get(pods(), "default/a"), nullptr);
}

TEST(Store, SnapshotsReconstructPastRevisions) {
  Store store(100);
  store.put(pods(), "default/a", pod("a", "Pending"));  // rv 1
  store.put(pods(), "default/b", pod("b"));             // rv 2
  store.put(pods(), "default/a", pod("a", "Running"));  // rv 3
  store.remove(pods(), "default/b");                    // rv 4
  store.put(pods(), "other/c", pod("c"));               // rv 5

  EXPECT_EQ(keys(store.snapshot(pods(), "", 0)),
            (std::vector<std::string>{"default/a", "other/c"}));
  const auto at2 = store.snapshot(pods(), "", 2);
  EXPECT_EQ(keys(at2), (std::vector<std::string>{"default/a", "default/b"}));
  EXPECT_EQ(field_value(*at2.at("default/a"), "status.phase"), "Pending");
  EXPECT_EQ(keys(store.snapshot(pods(), "default/", 4)), (std::vector<std::string>{"default/a"}));
  EXPECT_TRUE(store.snapshot(pods(), "", 0).count("other/c"));
}

TEST(Store, HistoryWindowBoundsReplayAndSnapshots) {
  Store store(2);
  store.put(pods(), "default/a", pod("a"));  // rv 1, dropped from the window
  store.put(pods(), "default/b", pod("b"));  // rv 2, dropped from the window
  store.put(pods(), "default/c", pod("c"));  // rv 3
  store.put(pods(), "default/d", pod("d"));  // rv 4
  EXPECT_EQ(store.compacted_rv(), 2u);
  std::vector<uint64_t> seen;
  store.for_each_event_since(2, [&](const StoreEvent& e) { seen.push_back(e.resource_version); });
  EXPECT_EQ(seen, (std::vector<uint64_t>{3, 4}));
  EXPECT_THROW(store.for_each_event_since(1, [](const StoreEvent&) {}), RevisionCompacted);
  EXPECT_THROW(store.snapshot(pods(), "", 1), RevisionCompacted);
  EXPECT_EQ(keys(store.snapshot(pods(), "", 2)),
            (std::vector<std::string>{"default/a", "default/b"}));
}

TEST(Store, CompactionMakesEveryEarlierRevisionTooOld) {
  Store store(100);
  store.put(pods(), "default/a", pod("a"));
  store.put(pods(), "default/b", pod("b"));
  store.compact();
  EXPECT_EQ(store.compacted_rv(), 2u);
  EXPECT_THROW(store.snapshot(pods(), "", 1), RevisionCompacted);
  EXPECT_NO_THROW(store.snapshot(pods(), "", 2));
  size_t events = 0;
  store.for_each_event_since(2, [&](const StoreEvent&) { ++events; });
  EXPECT_EQ(events, 0u);
}

TEST(Store, ObserverSeesPreviousState) {
  Store store(100);
  std::vector<StoreEvent> events;
  store.set_observer([&](const StoreEvent& e) { events.push_back(e); });
  store.put(pods(), "default/a", pod("a", "Pending"));
  store.put(pods(), "default/a", pod("a", "Running"));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, EventType::kAdded);
  EXPECT_EQ(events[1].type, EventType::kModified);
  EXPECT_EQ(field_value(*events[1].previous, "status.phase"), "Pending");
  EXPECT_EQ(field_value(*events[1].object, "status.phase"), "Running");
}

}  // namespace
}  // namespace kr::apiserver_lite
