// The informer's cache and events, driven through the same ObjectSink calls the reflector
// makes (no server): LIST replacement and diffing, watch events, malformed objects.
#include "k8s/informer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace kr::k8s {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

boost::json::object pod_json(const std::string& name, const std::string& rv,
                             const std::string& uid = "uid", const std::string& node = "n1") {
  return boost::json::parse(R"({"metadata": {"namespace": "ns", "name": ")" + name +
                            R"(", "resourceVersion": ")" + rv + R"(", "uid": ")" + uid +
                            R"("}, "spec": {"nodeName": ")" + node + R"("}})")
      .as_object();
}

boost::json::object bad_pod_json(const std::string& name, const std::string& rv) {
  return boost::json::parse(R"({"metadata": {"namespace": "ns", "name": ")" + name +
                            R"(", "resourceVersion": ")" + rv + R"("}, "spec": {"nodeName": 5}})")
      .as_object();
}

class InformerTest : public ::testing::Test {
 protected:
  InformerTest() {
    EventHandlers<Pod> h;
    h.on_add = [this](const auto& p) { events.push_back("add " + p->meta.name + "@" + rv(p)); };
    h.on_update = [this](const auto& o, const auto& n) {
      events.push_back("update " + n->meta.name + "@" + rv(o) + "->" + rv(n));
    };
    h.on_delete = [this](const auto& p) {
      events.push_back("delete " + p->meta.name + "@" + rv(p));
    };
    informer.add_handlers(h);
    run_posted();
  }
  // Runs what add_handlers posted (an io_context that ran out of work must be restarted).
  void run_posted() {
    io.restart();
    io.poll();
  }
  static std::string rv(const std::shared_ptr<const Pod>& p) { return p->meta.resource_version; }

  void list(const std::vector<boost::json::object>& items) {
    informer.begin_list();
    for (const auto& i : items) {
      informer.list_item(i);
    }
    informer.end_list();
  }
  std::vector<std::string> take_events() { return std::exchange(events, {}); }

  boost::asio::io_context io;
  KindMetrics metrics;
  Informer<Pod> informer{io, metrics};
  std::vector<std::string> events;
};

TEST_F(InformerTest, FirstListAddsEverythingAndSyncs) {
  bool synced_called = false;
  informer.set_on_synced([&] { synced_called = true; });
  EXPECT_FALSE(informer.has_synced());
  list({pod_json("a", "1"), pod_json("b", "2")});
  EXPECT_TRUE(informer.has_synced());
  EXPECT_TRUE(synced_called);
  EXPECT_THAT(take_events(), ElementsAre("add a@1", "add b@2"));
  EXPECT_EQ(informer.snapshot().size(), 2u);
  EXPECT_EQ(metrics.objects_cached.load(), 2);
}

TEST_F(InformerTest, RelistDiffRaisesOnlyRealChanges) {
  list({pod_json("same", "1"), pod_json("changed", "1"), pod_json("gone", "1"),
        pod_json("recreated", "1", "old-uid")});
  const auto same_before = informer.snapshot().get("ns", "same");
  take_events();
  list({pod_json("same", "1"), pod_json("changed", "2"), pod_json("new", "3"),
        pod_json("recreated", "4", "new-uid")});
  EXPECT_THAT(take_events(), ElementsAre("delete gone@1", "update changed@1->2", "add new@3",
                                         "delete recreated@1", "add recreated@4"));
  // An unchanged object keeps its cached instance.
  EXPECT_EQ(informer.snapshot().get("ns", "same"), same_before);
  EXPECT_EQ(informer.snapshot().size(), 4u);
}

TEST_F(InformerTest, AbortedListChangesNothing) {
  list({pod_json("a", "1")});
  take_events();
  informer.begin_list();
  informer.list_item(pod_json("b", "1"));
  informer.abort_list();
  EXPECT_THAT(take_events(), IsEmpty());
  EXPECT_EQ(informer.snapshot().size(), 1u);
}

TEST_F(InformerTest, WatchEvents) {
  list({});
  informer.watch_event(WatchEventType::kAdded, pod_json("a", "5"));
  informer.watch_event(WatchEventType::kModified, pod_json("a", "6", "uid", "n2"));
  informer.watch_event(WatchEventType::kModified, pod_json("a", "6", "uid", "n2"));  // replay
  informer.watch_event(WatchEventType::kModified, pod_json("b", "7"));  // unseen: an add
  informer.watch_event(WatchEventType::kDeleted, pod_json("a", "8"));
  informer.watch_event(WatchEventType::kDeleted, pod_json("a", "8"));  // already gone
  EXPECT_THAT(take_events(), ElementsAre("add a@5", "update a@5->6", "add b@7", "delete a@6"));
  EXPECT_EQ(informer.snapshot().get("ns", "a"), nullptr);
  EXPECT_EQ(informer.snapshot().get("ns", "b")->node_name, "n1");
}

TEST_F(InformerTest, MalformedObjectIsSkippedCountedOnceAndOthersFlow) {
  list({pod_json("good", "1"), bad_pod_json("bad", "1")});
  EXPECT_THAT(take_events(), ElementsAre("add good@1"));
  EXPECT_EQ(metrics.decode_errors_total.load(), 1u);
  EXPECT_EQ(informer.snapshot().get("ns", "bad"), nullptr);
  // The same bad version seen again (a relist) is not counted again.
  list({pod_json("good", "1"), bad_pod_json("bad", "1")});
  EXPECT_EQ(metrics.decode_errors_total.load(), 1u);
  // A fixed version flows normally.
  informer.watch_event(WatchEventType::kModified, pod_json("bad", "2"));
  EXPECT_THAT(take_events(), ElementsAre("add bad@2"));
  // A later bad version keeps the last good one cached and raises no event.
  informer.watch_event(WatchEventType::kModified, bad_pod_json("bad", "3"));
  EXPECT_EQ(metrics.decode_errors_total.load(), 2u);
  EXPECT_EQ(informer.snapshot().get("ns", "bad")->meta.resource_version, "2");
  list({pod_json("good", "1"), bad_pod_json("bad", "3")});
  EXPECT_EQ(informer.snapshot().get("ns", "bad")->meta.resource_version, "2");
  EXPECT_THAT(take_events(), IsEmpty());
  // Deleting it needs only the metadata.
  informer.watch_event(WatchEventType::kDeleted, bad_pod_json("bad", "4"));
  EXPECT_THAT(take_events(), ElementsAre("delete bad@2"));
  // An object without a usable name is counted each time.
  informer.watch_event(WatchEventType::kAdded,
                       boost::json::parse(R"({"metadata": {"name": 3}})").as_object());
  EXPECT_EQ(metrics.decode_errors_total.load(), 3u);
  EXPECT_EQ(informer.snapshot().size(), 1u);
}

TEST_F(InformerTest, LateHandlersSeeExistingObjectsAsAdds) {
  list({pod_json("a", "1"), pod_json("b", "1")});
  std::vector<std::string> late;
  EventHandlers<Pod> h;
  h.on_add = [&](const auto& p) { late.push_back(p->meta.name); };
  informer.add_handlers(h);
  EXPECT_THAT(late, IsEmpty());  // registration runs on the io_context
  run_posted();
  EXPECT_THAT(late, ElementsAre("a", "b"));
}

TEST_F(InformerTest, ThrowingHandlerDoesNotStopOthers) {
  EventHandlers<Pod> bad;
  bad.on_add = [](const auto&) { throw std::runtime_error("boom"); };
  informer.add_handlers(bad);
  run_posted();
  list({pod_json("a", "1")});
  EXPECT_THAT(take_events(), ElementsAre("add a@1"));
}

}  // namespace
}  // namespace kr::k8s
