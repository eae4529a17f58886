// CRUD, list and watch against a running apiserver-lite, through the fixture's client.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "apiserver_lite_fixture.h"

namespace kr::testing {
namespace {

namespace json = boost::json;

json::value J(const std::string& text) { return json::parse(text); }

std::string pod(const std::string& name, const std::string& labels = "{}") {
  return R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name + R"(","labels":)" +
         labels + R"(},"spec":{"containers":[{"name":"c","image":"i"}]}})";
}

const char* kPods = "/api/v1/namespaces/default/pods";

TEST(ApiServerLiteServer, StartsOnAFreePortAndWritesThePortFile) {
  ApiServerLite api;
  EXPECT_GT(api.port(), 0);
  EXPECT_EQ(api.url(), "https://127.0.0.1:" + std::to_string(api.port()));
  EXPECT_EQ(api.port_file_contents(),
            std::to_string(api.port()) + "\nlisten 127.0.0.1:" + std::to_string(api.port()) + "\n");
  const HttpResponse version = api.get("/version");
  ASSERT_EQ(version.status, 200);
  EXPECT_EQ(J(version.body).at("major"), "1");
}

TEST(ApiServerLiteServer, CreateGetUpdateDelete) {
  ApiServerLite api;
  HttpResponse r = api.create(pod("web"));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.headers["content-type"], "application/json");
  json::value created = J(r.body);

  r = api.get(std::string(kPods) + "/web");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(J(r.body), created);

  created.at("metadata").as_object()["labels"] = json::object{{"v", "2"}};
  r = api.update(json::serialize(created));
  ASSERT_EQ(r.status, 200) << r.body;
  r = api.update(json::serialize(created));  // stale resourceVersion now
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(J(r.body).at("reason"), "Conflict");

  r = api.create(pod("web"));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(J(r.body).at("reason"), "AlreadyExists");

  r = api.remove(std::string(kPods) + "/web");
  EXPECT_EQ(r.status, 200);
  r = api.get(std::string(kPods) + "/web");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(J(r.body).at("reason"), "NotFound");
}

TEST(ApiServerLiteServer, WatchStreamsEventsAfterTheListRevision) {
  ApiServerLite api;
  ASSERT_EQ(api.create(pod("a")).status, 201);
  const json::value list = J(api.get(kPods).body);
  const std::string rv(list.at("metadata").at("resourceVersion").as_string());

  WatchStream watch = api.watch(std::string(kPods) + "?watch=1&resourceVersion=" + rv);
  ASSERT_EQ(watch.status(), 200);
  ASSERT_EQ(api.create(pod("b")).status, 201);
  ASSERT_EQ(api.patch(std::string(kPods) + "/b", R"({"metadata":{"labels":{"x":"y"}}})").status,
            200);
  ASSERT_EQ(api.remove(std::string(kPods) + "/a").status, 200);

  std::vector<std::string> seen;
  for (int i = 0; i < 3; ++i) {
    const auto line = watch.next_event();
    ASSERT_TRUE(line.has_value()) << "event " << i;
    const json::value event = J(*line);
    seen.push_back(std::string(event.at("type").as_string()) + " " +
                   std::string(event.at("object").at("metadata").at("name").as_string()));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"ADDED b", "MODIFIED b", "DELETED a"}));
  EXPECT_EQ(watch.state(), WatchStream::State::kOpen);
}

TEST(ApiServerLiteServer, PaginatedListAndExpiredContinueToken) {
  ApiServerLite api;
  for (const char* name : {"a", "b", "c"}) {
    ASSERT_EQ(api.create(pod(name)).status, 201);
  }
  HttpResponse r = api.list(std::string(kPods) + "?limit=2");
  ASSERT_EQ(r.status, 200);
  json::value page = J(r.body);
  EXPECT_EQ(page.at("items").as_array().size(), 2u);
  EXPECT_EQ(page.at("metadata").at("remainingItemCount"), 1);
  const std::string token(page.at("metadata").at("continue").as_string());

  r = api.get(std::string(kPods) + "?limit=2&continue=" + token);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(J(r.body).at("items").at(0).at("metadata").at("name"), "c");

  ASSERT_EQ(api.create(pod("d")).status, 201);
  api.compact();
  r = api.get(std::string(kPods) + "?limit=2&continue=" + token);
  EXPECT_EQ(r.status, 410);
  EXPECT_EQ(J(r.body).at("reason"), "Expired");
  EXPECT_TRUE(J(r.body).at("metadata").as_object().contains("continue"));
  EXPECT_EQ(api.get(std::string(kPods) + "?limit=2&continue=garbage").status, 400);
}

TEST(ApiServerLiteServer, SelectorsOnListsAndUnsupportedFields) {
  ApiServerLite api;
  ASSERT_EQ(api.create(pod("a", R"({"app":"web"})")).status, 201);
  ASSERT_EQ(api.create(pod("b", R"({"app":"db"})")).status, 201);
  HttpResponse r = api.list("/api/v1/pods?labelSelector=app%20in%20(web)");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(J(r.body).at("items").as_array().size(), 1u);
  r = api.get("/api/v1/pods?fieldSelector=metadata.name%3Db");
  EXPECT_EQ(J(r.body).at("items").at(0).at("metadata").at("name"), "b");
  r = api.get("/api/v1/pods?fieldSelector=spec.host%3Dx");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(J(r.body).at("reason"), "BadRequest");
}

TEST(ApiServerLiteServer, PatchFlavoursAndStatusSubresource) {
  ApiServerLite api;
  ASSERT_EQ(api.create(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},)"
                       R"("spec":{"ports":[{"port":80}]}})")
                .status,
            201);
  const std::string path = "/api/v1/namespaces/default/services/web";
  HttpResponse r = api.patch(path, R"({"metadata":{"labels":{"a":"1"}}})", PatchType::kMerge);
  ASSERT_EQ(r.status, 200) << r.body;
  r = api.patch(path, R"([{"op":"add","path":"/metadata/labels/b","value":"2"}])",
                PatchType::kJson);
  ASSERT_EQ(r.status, 200) << r.body;
  r = api.patch(path, R"({"metadata":{"labels":{"a":null}}})", PatchType::kStrategic);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(J(r.body).at("metadata").at("labels"), J(R"({"b":"2"})"));

  // The main resource ignores status; /status takes it.
  const std::string lb = R"({"status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.10"}]}}})";
  r = api.patch(path, lb, PatchType::kMerge);
  EXPECT_EQ(J(r.body).at("status"), J(R"({"loadBalancer":{}})"));
  r = api.patch(path + "/status", lb, PatchType::kMerge);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(J(api.get(path).body).at("status").at("loadBalancer").at("ingress").at(0).at("ip"),
            "192.0.2.10");
}

TEST(ApiServerLiteServer, ClusterScopedAndGroupedResources) {
  ApiServerLite api;
  HttpResponse r =
      api.create(R"({"apiVersion":"v1","kind":"Node","metadata":{"name":"node-1"},)"
                 R"("status":{"addresses":[{"type":"InternalIP","address":"10.0.0.1"}]}})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_FALSE(J(r.body).at("metadata").as_object().contains("namespace"));
  EXPECT_EQ(api.get("/api/v1/nodes/node-1").status, 200);

  r = api.create(R"({"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice",)"
                 R"("metadata":{"name":"web-abc","namespace":"default",)"
                 R"("labels":{"kubernetes.io/service-name":"web"}},"addressType":"IPv4",)"
                 R"("endpoints":[{"addresses":["10.1.0.5"]}]})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(J(r.body).at("metadata").at("generation"), 1);
  r = api.get(
      "/apis/discovery.k8s.io/v1/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(J(r.body).at("kind"), "EndpointSliceList");
  EXPECT_EQ(J(r.body).at("items").as_array().size(), 1u);
}

TEST(ApiServerLiteServer, SigtermEndsWatchesCleanlyAndExitsZero) {
  ApiServerLite api;
  WatchStream watch = api.watch(std::string(kPods) + "?watch=1");
  ASSERT_EQ(watch.status(), 200);
  EXPECT_EQ(api.terminate(), 0);
  EXPECT_FALSE(watch.next_event().has_value());
  EXPECT_EQ(watch.state(), WatchStream::State::kEnded);
}

}  // namespace
}  // namespace kr::testing
