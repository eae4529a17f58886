// Watch behaviour over the wire: 410 for compacted revisions, bookmarks, timeoutSeconds,
// selectors and abrupt drops.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "apiserver_lite_fixture.h"

namespace kr::testing {
namespace {

namespace json = boost::json;

json::value J(const std::string& text) { return json::parse(text); }

std::string pod(const std::string& name, const std::string& labels = "{}") {
  return R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name + R"(","labels":)" +
         labels + R"(}})";
}

const std::string kPods = "/api/v1/namespaces/default/pods";

json::value next(WatchStream& watch) {
  const auto line = watch.next_event();
  if (!line) {
    ADD_FAILURE() << "no event; stream state " << static_cast<int>(watch.state());
    return json::object{{"type", "NONE"}};
  }
  return J(*line);
}

TEST(ApiServerLiteWatch, CompactedRevisionGetsExpiredErrorEventThenCleanEnd) {
  ApiServerLite api;
  ASSERT_EQ(api.create(pod("a")).status, 201);
  const uint64_t old_rv = api.resource_version();
  ASSERT_EQ(api.create(pod("b")).status, 201);
  api.compact();

  WatchStream watch = api.watch(kPods + "?watch=1&resourceVersion=" + std::to_string(old_rv));
  ASSERT_EQ(watch.status(), 200);  // errors on a watch arrive as an ERROR event
  const json::value event = next(watch);
  EXPECT_EQ(event.at("type"), "ERROR");
  EXPECT_EQ(event.at("object").at("kind"), "Status");
  EXPECT_EQ(event.at("object").at("code"), 410);
  EXPECT_EQ(event.at("object").at("reason"), "Expired");
  EXPECT_EQ(event.at("object").at("message").as_string(),
            "too old resource version: " + std::to_string(old_rv) + " (" +
                std::to_string(api.resource_version()) + ")");
  EXPECT_FALSE(watch.next_event().has_value());
  EXPECT_EQ(watch.state(), WatchStream::State::kEnded);
}

TEST(ApiServerLiteWatch, HistoryWindowExpiresOldRevisions) {
  ApiServerLiteOptions options;
  options.history_window = 3;
  ApiServerLite api(options);
  const uint64_t start = api.resource_version();
  for (const char* name : {"a", "b", "c", "d"}) {
    ASSERT_EQ(api.create(pod(name)).status, 201);
  }
  WatchStream too_old = api.watch(kPods + "?watch=1&resourceVersion=" + std::to_string(start));
  EXPECT_EQ(next(too_old).at("object").at("code"), 410);
  // The last three changes are still replayable.
  WatchStream recent = api.watch(kPods + "?watch=1&resourceVersion=" + std::to_string(start + 1));
  for (const char* name : {"b", "c", "d"}) {
    const json::value event = next(recent);
    EXPECT_EQ(event.at("type"), "ADDED");
    EXPECT_EQ(event.at("object").at("metadata").at("name"), name);
  }
}

TEST(ApiServerLiteWatch, PeriodicBookmarksCarryTheCurrentRevision) {
  ApiServerLiteOptions options;
  options.bookmark_interval = "200ms";
  ApiServerLite api(options);
  const uint64_t rv = api.resource_version();
  WatchStream watch =
      api.watch(kPods + "?watch=1&allowWatchBookmarks=true&resourceVersion=" + std::to_string(rv));
  ASSERT_EQ(api.create(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"s"}})").status,
            201);  // another kind: no event for this watch, but the revision moves on
  json::value event = next(watch);
  EXPECT_EQ(event.at("type"), "BOOKMARK");
  EXPECT_EQ(event.at("object").at("kind"), "Pod");
  EXPECT_EQ(event.at("object").at("apiVersion"), "v1");
  EXPECT_EQ(event.at("object").at("metadata").at("resourceVersion").as_string(),
            std::to_string(api.resource_version()));
  event = next(watch);
  EXPECT_EQ(event.at("type"), "BOOKMARK");  // and again
}

TEST(ApiServerLiteWatch, TimeoutSecondsEndsTheStreamCleanlyAfterABookmark) {
  ApiServerLite api;
  WatchStream watch = api.watch(kPods + "?watch=1&timeoutSeconds=1&allowWatchBookmarks=true");
  const json::value event = next(watch);
  EXPECT_EQ(event.at("type"), "BOOKMARK");
  EXPECT_FALSE(watch.next_event().has_value());
  EXPECT_EQ(watch.state(), WatchStream::State::kEnded);
}

TEST(ApiServerLiteWatch, SelectorsApplyAndLeavingObjectsAreDeleted) {
  ApiServerLite api;
  ASSERT_EQ(api.create(pod("a", R"({"app":"web"})")).status, 201);
  ASSERT_EQ(api.create(pod("b", R"({"app":"db"})")).status, 201);
  WatchStream watch = api.watch(kPods + "?watch=1&labelSelector=app%3Dweb");
  json::value event = next(watch);
  EXPECT_EQ(event.at("type"), "ADDED");
  EXPECT_EQ(event.at("object").at("metadata").at("name"), "a");
  ASSERT_EQ(api.patch(kPods + "/a", R"({"metadata":{"labels":{"app":"db"}}})").status, 200);
  event = next(watch);
  EXPECT_EQ(event.at("type"), "DELETED");
  EXPECT_EQ(event.at("object").at("metadata").at("name"), "a");
  ASSERT_EQ(api.patch(kPods + "/b", R"({"metadata":{"labels":{"app":"web"}}})").status, 200);
  event = next(watch);
  EXPECT_EQ(event.at("type"), "ADDED");
  EXPECT_EQ(event.at("object").at("metadata").at("name"), "b");
}

TEST(ApiServerLiteWatch, DropWatchesCutsStreamsWithoutCleanEnd) {
  ApiServerLite api;
  WatchStream first = api.watch(kPods + "?watch=1");
  WatchStream second = api.watch("/api/v1/namespaces?watch=1");
  for (int i = 0; i < 4; ++i) {
    next(second);  // the four initial namespaces
  }
  api.drop_watches();
  EXPECT_FALSE(first.next_event().has_value());
  EXPECT_EQ(first.state(), WatchStream::State::kBroken);
  EXPECT_FALSE(second.next_event().has_value());
  EXPECT_EQ(second.state(), WatchStream::State::kBroken);
  // New watches work as before.
  WatchStream third = api.watch(kPods + "?watch=1");
  ASSERT_EQ(api.create(pod("x")).status, 201);
  EXPECT_EQ(next(third).at("type"), "ADDED");
}

TEST(ApiServerLiteWatch, PerObjectWatchOnlySeesThatObject) {
  ApiServerLite api;
  ASSERT_EQ(api.create(pod("a")).status, 201);
  ASSERT_EQ(api.create(pod("b")).status, 201);
  WatchStream watch = api.watch(kPods + "?watch=1&fieldSelector=metadata.name%3Db");
  EXPECT_EQ(next(watch).at("object").at("metadata").at("name"), "b");
  ASSERT_EQ(api.remove(kPods + "/a").status, 200);
  ASSERT_EQ(api.remove(kPods + "/b").status, 200);
  const json::value event = next(watch);
  EXPECT_EQ(event.at("type"), "DELETED");
  EXPECT_EQ(event.at("object").at("metadata").at("name"), "b");
}

}  // namespace
}  // namespace kr::testing
