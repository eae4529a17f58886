// Watch semantics through the router: replay, initial state, selectors, 410.
#include <gtest/gtest.h>

#include "api_test_util.h"

namespace kr::apiserver_lite {
namespace {

using testing::Api;
using testing::pod_json;
namespace json = boost::json;

// "TYPE name" for each queued event.
std::vector<std::string> drain(Watcher& watcher) {
  std::vector<std::string> out;
  while (watcher.has_pending()) {
    const json::value event = json::parse(watcher.pop());
    const json::value& object = event.at("object");
    std::string name = object.at("metadata").as_object().contains("name")
                           ? std::string(object.at("metadata").at("name").as_string())
                           : std::string(object.at("metadata").at("resourceVersion").as_string());
    out.push_back(std::string(event.at("type").as_string()) + " " + name);
  }
  return out;
}

const char* kPods = "/api/v1/namespaces/default/pods";

TEST(Watch, UnsetResourceVersionStartsWithSyntheticAdds) {
  Api api;
  ASSERT_EQ(api.call("POST", kPods, pod_json("a")).status, 201);
  auto watcher = api.watch(std::string(kPods) + "?watch=1");
  EXPECT_EQ(drain(*watcher), (std::vector<std::string>{"ADDED a"}));
  ASSERT_EQ(api.call("POST", kPods, pod_json("b")).status, 201);
  ASSERT_EQ(api.call("DELETE", std::string(kPods) + "/a").status, 200);
  EXPECT_EQ(drain(*watcher), (std::vector<std::string>{"ADDED b", "DELETED a"}));
}

TEST(Watch, FromResourceVersionReplaysLaterChangesOnly) {
  Api api;
  ASSERT_EQ(api.call("POST", kPods, pod_json("a")).status, 201);
  const uint64_t rv = api.store.current_rv();
  ASSERT_EQ(api.call("PATCH", std::string(kPods) + "/a", R"({"metadata":{"labels":{"x":"1"}}})",
                     "application/merge-patch+json")
                .status,
            200);
  ASSERT_EQ(api.call("POST", kPods, pod_json("b")).status, 201);
  auto watcher =
      api.watch(std::string(kPods) + "?watch=true&resourceVersion=" + std::to_string(rv));
  EXPECT_EQ(drain(*watcher), (std::vector<std::string>{"MODIFIED a", "ADDED b"}));
  EXPECT_FALSE(watcher->finished());
}

TEST(Watch, CompactedResourceVersionGetsExpiredErrorEvent) {
  Api api;
  ASSERT_EQ(api.call("POST", kPods, pod_json("a")).status, 201);
  api.store.compact();
  const uint64_t compacted = api.store.compacted_rv();
  auto watcher = api.watch(std::string(kPods) + "?watch=1&resourceVersion=1");
  ASSERT_TRUE(watcher->has_pending());
  const json::value event = json::parse(watcher->pop());
  EXPECT_EQ(event.at("type"), "ERROR");
  EXPECT_EQ(event.at("object").at("code"), 410);
  EXPECT_EQ(event.at("object").at("reason"), "Expired");
  EXPECT_EQ(event.at("object").at("message").as_string(),
            "too old resource version: 1 (" + std::to_string(compacted) + ")");
  EXPECT_TRUE(watcher->finished());
}

TEST(Watch, SelectorTransitionsBecomeAddedAndDeleted) {
  Api api;
  ASSERT_EQ(api.call("POST", kPods, pod_json("a", R"({"app":"web"})")).status, 201);
  auto watcher = api.watch(std::string(kPods) + "?watch=1&labelSelector=app%3Dweb");
  EXPECT_EQ(drain(*watcher), (std::vector<std::string>{"ADDED a"}));
  const std::string path = std::string(kPods) + "/a";
  ASSERT_EQ(api.call("PATCH", path, R"({"metadata":{"labels":{"app":"db"}}})",
                     "application/merge-patch+json")
                .status,
            200);
  ASSERT_EQ(api.call("POST", kPods, pod_json("other", R"({"app":"db"})")).status, 201);
  ASSERT_EQ(api.call("PATCH", path, R"({"metadata":{"labels":{"app":"web"}}})",
                     "application/merge-patch+json")
                .status,
            200);
  EXPECT_EQ(drain(*watcher), (std::vector<std::string>{"DELETED a", "ADDED a"}));
}

TEST(Watch, LeavingTheSelectionReportsTheNewRevision) {
  Api api;
  ASSERT_EQ(api.call("POST", kPods, pod_json("a", R"({"app":"web"})")).status, 201);
  auto watcher = api.watch(std::string(kPods) + "?watch=1&labelSelector=app%3Dweb");
  drain(*watcher);
  ASSERT_EQ(api.call("PATCH", std::string(kPods) + "/a", R"({"metadata":{"labels":null}})",
                     "application/merge-patch+json")
                .status,
            200);
  const json::value event = json::parse(watcher->pop());
  EXPECT_EQ(event.at("type"), "DELETED");
  EXPECT_EQ(event.at("object").at("metadata").at("resourceVersion").as_string(),
            std::to_string(api.store.current_rv()));
  EXPECT_EQ(event.at("object").at("metadata").at("labels").at("app"), "web");  // the old state
}

TEST(Watch, NamespaceAndTypeAreRespected) {
  Api api;
  auto watcher = api.watch(std::string(kPods) +
                           "?watch=1&resourceVersion=" + std::to_string(api.store.current_rv()));
  ASSERT_EQ(api.call("POST", "/api/v1/namespaces/kube-system/pods", pod_json("x")).status, 201);
  ASSERT_EQ(api.call("POST", "/api/v1/namespaces/default/services", R"({"metadata":{"name":"s"}})")
                .status,
            201);
  EXPECT_TRUE(drain(*watcher).empty());
}

TEST(Watch, SendInitialEventsEndsWithAnnotatedBookmark) {
  Api api;
  ASSERT_EQ(api.call("POST", kPods, pod_json("a")).status, 201);
  auto watcher = api.watch(std::string(kPods) +
                           "?watch=1&sendInitialEvents=true&allowWatchBookmarks=true"
                           "&resourceVersionMatch=NotOlderThan&resourceVersion=");
  ASSERT_TRUE(watcher->has_pending());
  EXPECT_EQ(json::parse(watcher->pop()).at("type"), "ADDED");
  const json::value bookmark = json::parse(watcher->pop());
  EXPECT_EQ(bookmark.at("type"), "BOOKMARK");
  EXPECT_EQ(bookmark.at("object").at("kind"), "Pod");
  EXPECT_EQ(bookmark.at("object").at("metadata").at("annotations").at("k8s.io/initial-events-end"),
            "true");
  // The rules of sendInitialEvents are enforced.
  EXPECT_EQ(api.call("GET", std::string(kPods) + "?watch=1&sendInitialEvents=true").status, 422);
}

TEST(Watch, BookmarkCarriesOnlyTheResourceVersion) {
  Api api;
  auto watcher = api.watch(std::string(kPods) + "?watch=1&allowWatchBookmarks=true");
  const json::value bookmark = json::parse(api.hub.bookmark_line(*watcher));
  EXPECT_EQ(bookmark.at("type"), "BOOKMARK");
  EXPECT_EQ(bookmark.at("object").at("apiVersion"), "v1");
  EXPECT_EQ(bookmark.at("object").at("metadata").as_object().size(), 1u);
  EXPECT_EQ(bookmark.at("object").at("metadata").at("resourceVersion").as_string(),
            std::to_string(api.store.current_rv()));
}

TEST(Watch, DropAllMarksWatchersDropped) {
  Api api;
  auto watcher = api.watch(std::string(kPods) + "?watch=1");
  bool woken = false;
  watcher->set_wakeup([&] { woken = true; });
  EXPECT_EQ(api.hub.open_watches(), 1u);
  api.hub.drop_all();
  EXPECT_TRUE(watcher->dropped());
  EXPECT_TRUE(woken);
  EXPECT_EQ(api.hub.open_watches(), 0u);
}

TEST(Watch, PerObjectWatchEscapesTheName) {
  Api api;
  ASSERT_EQ(api.call("POST", kPods, pod_json("a")).status, 201);
  // A name that is not valid anyway must not be read as selector syntax.
  auto odd = api.watch(std::string(kPods) + "/a%2Cmetadata.name%3Db?watch=1");
  EXPECT_FALSE(odd->has_pending());
  auto plain = api.watch(std::string(kPods) + "/a?watch=1");
  EXPECT_EQ(drain(*plain), (std::vector<std::string>{"ADDED a"}));
}

}  // namespace
}  // namespace kr::apiserver_lite
