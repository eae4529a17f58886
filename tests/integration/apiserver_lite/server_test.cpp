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

}  // namespace
}  // namespace kr::testing
