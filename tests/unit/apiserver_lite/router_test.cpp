// Listing, pagination, selectors, discovery and authorisation through the router.
#include <gtest/gtest.h>

#include "api_test_util.h"
#include "continue_token.h"

namespace kr::apiserver_lite {
namespace {

using testing::Api;
using testing::pod_json;
namespace json = boost::json;

std::vector<std::string> names(const json::value& list) {
  std::vector<std::string> out;
  for (const auto& item : list.at("items").as_array()) {
    out.emplace_back(item.at("metadata").at("name").as_string());
  }
  return out;
}

struct ListTest : ::testing::Test {
  void SetUp() override {
    for (const char* name : {"a", "b", "c", "d", "e"}) {
      ASSERT_EQ(api.call("POST", "/api/v1/namespaces/default/pods",
                         pod_json(name,
                                  std::string(R"({"app":")") +
                                      (std::string(name) < "c" ? "web" : "db") + "\"}",
                                  std::string(name) == "a" ? "node-1" : ""))
                    .status,
                201);
    }
    ASSERT_EQ(api.call("POST", "/api/v1/namespaces/kube-system/pods", pod_json("z")).status, 201);
  }
  Api api;
};

TEST_F(ListTest, ListHasKindResourceVersionAndBareItems) {
  const Response r = api.call("GET", "/api/v1/namespaces/default/pods");
  ASSERT_EQ(r.status, 200);
  const json::value list = Api::json(r);
  EXPECT_EQ(list.at("kind"), "PodList");
  EXPECT_EQ(list.at("apiVersion"), "v1");
  EXPECT_EQ(list.at("metadata").at("resourceVersion").as_string(),
            std::to_string(api.store.current_rv()));
  EXPECT_EQ(names(list), (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_FALSE(list.at("items").at(0).as_object().contains("kind"));
  EXPECT_EQ(names(Api::json(api.call("GET", "/api/v1/pods"))).size(), 6u);
}

TEST_F(ListTest, PaginationWalksAConsistentSnapshot) {
  Response r = api.call("GET", "/api/v1/namespaces/default/pods?limit=2");
  json::value page = Api::json(r);
  EXPECT_EQ(names(page), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(page.at("metadata").at("remainingItemCount"), 3);
  const std::string list_rv(page.at("metadata").at("resourceVersion").as_string());
  std::string token(page.at("metadata").at("continue").as_string());

  // Changes after the first page do not show up in later pages.
  ASSERT_EQ(api.call("DELETE", "/api/v1/namespaces/default/pods/c").status, 200);
  ASSERT_EQ(api.call("POST", "/api/v1/namespaces/default/pods", pod_json("cc")).status, 201);

  page = Api::json(api.call("GET", "/api/v1/namespaces/default/pods?limit=2&continue=" + token));
  EXPECT_EQ(names(page), (std::vector<std::string>{"c", "d"}));
  EXPECT_EQ(page.at("metadata").at("resourceVersion").as_string(), list_rv);
  token = std::string(page.at("metadata").at("continue").as_string());
  page = Api::json(api.call("GET", "/api/v1/namespaces/default/pods?limit=2&continue=" + token));
  EXPECT_EQ(names(page), (std::vector<std::string>{"e"}));
  EXPECT_FALSE(page.at("metadata").as_object().contains("continue"));
}

TEST_F(ListTest, CompactedContinueTokenGets410WithInconsistentToken) {
  const json::value page = Api::json(api.call("GET", "/api/v1/namespaces/default/pods?limit=2"));
  const std::string token(page.at("metadata").at("continue").as_string());
  // Compaction keeps the revision it compacts at readable; a later write moves past it.
  ASSERT_EQ(api.call("POST", "/api/v1/namespaces/default/pods", pod_json("later")).status, 201);
  api.store.compact();
  const Response expired =
      api.call("GET", "/api/v1/namespaces/default/pods?limit=2&continue=" + token);
  ASSERT_EQ(expired.status, 410);
  const json::value status = Api::json(expired);
  EXPECT_EQ(status.at("reason"), "Expired");
  const std::string next(status.at("metadata").at("continue").as_string());
  EXPECT_EQ(decode_continue(next).resource_version, -1);
  const json::value rest =
      Api::json(api.call("GET", "/api/v1/namespaces/default/pods?limit=10&continue=" + next));
  EXPECT_EQ(names(rest), (std::vector<std::string>{"c", "d", "e", "later"}));
}

TEST_F(ListTest, ResourceVersionSemantics) {
  const uint64_t then = api.store.current_rv();
  ASSERT_EQ(api.call("DELETE", "/api/v1/namespaces/default/pods/a").status, 200);
  const std::string base = "/api/v1/namespaces/default/pods?resourceVersion=";
  // Exact: the state at that revision.
  json::value list =
      Api::json(api.call("GET", base + std::to_string(then) + "&resourceVersionMatch=Exact"));
  EXPECT_EQ(names(list).front(), "a");
  EXPECT_EQ(list.at("metadata").at("resourceVersion").as_string(), std::to_string(then));
  // NotOlderThan (and the legacy form without a limit): the latest.
  list = Api::json(
      api.call("GET", base + std::to_string(then) + "&resourceVersionMatch=NotOlderThan&limit=9"));
  EXPECT_EQ(names(list).front(), "b");
  list = Api::json(api.call("GET", base + std::to_string(then)));
  EXPECT_EQ(names(list).front(), "b");
  // The legacy form with a limit lists at exactly that revision.
  list = Api::json(api.call("GET", base + std::to_string(then) + "&limit=9"));
  EXPECT_EQ(names(list).front(), "a");
  // "0": any version, served whole (limit ignored, like the watch cache).
  list = Api::json(api.call("GET", base + "0&limit=1"));
  EXPECT_EQ(names(list).size(), 4u);
  EXPECT_FALSE(list.at("metadata").as_object().contains("continue"));
  // From the future: 504 with the cause clients look for.
  const Response future = api.call("GET", base + "999999");
  EXPECT_EQ(future.status, 504);
  EXPECT_EQ(Api::json(future).at("details").at("causes").at(0).at("reason"),
            "ResourceVersionTooLarge");
  // Validation: 422 for rule violations, 400 for syntax.
  EXPECT_EQ(api.call("GET", "/api/v1/pods?resourceVersionMatch=Exact").status, 422);
  EXPECT_EQ(api.call("GET", base + "0&resourceVersionMatch=Exact").status, 422);
  EXPECT_EQ(api.call("GET", base + "1&resourceVersionMatch=Sometime").status, 422);
  EXPECT_EQ(api.call("GET", base + "abc").status, 400);
  api.store.compact();
  const Response gone =
      api.call("GET", base + std::to_string(then) + "&resourceVersionMatch=Exact");
  EXPECT_EQ(gone.status, 410);
  EXPECT_EQ(Api::json(gone).at("reason"), "Expired");
}

TEST_F(ListTest, Selectors) {
  auto list = [&](const std::string& query) {
    return names(Api::json(api.call("GET", "/api/v1/namespaces/default/pods?" + query)));
  };
  EXPECT_EQ(list("labelSelector=app%3Dweb"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(list("labelSelector=app+in+(db)"), (std::vector<std::string>{"c", "d", "e"}));
  EXPECT_EQ(list("labelSelector=app!%3Dweb,!missing"), (std::vector<std::string>{"c", "d", "e"}));
  EXPECT_EQ(list("fieldSelector=spec.nodeName%3Dnode-1"), (std::vector<std::string>{"a"}));
  EXPECT_EQ(list("fieldSelector=metadata.name!%3Da,spec.nodeName%3D&labelSelector=app%3Dweb"),
            (std::vector<std::string>{"b"}));
  // A limit counts matching items; the continue token still resumes correctly.
  const json::value page =
      Api::json(api.call("GET", "/api/v1/namespaces/default/pods?labelSelector=app%3Ddb&limit=1"));
  EXPECT_EQ(names(page), (std::vector<std::string>{"c"}));
  EXPECT_FALSE(page.at("metadata").as_object().contains("remainingItemCount"));

  const Response unsupported = api.call("GET", "/api/v1/pods?fieldSelector=spec.foo%3Dx");
  EXPECT_EQ(unsupported.status, 400);
  EXPECT_EQ(Api::json(unsupported).at("message"), "field label not supported: spec.foo");
  EXPECT_EQ(api.call("GET", "/api/v1/services?fieldSelector=spec.nodeName%3Dx").status, 400);
  EXPECT_EQ(api.call("GET", "/api/v1/pods?labelSelector=a+in+(").status, 400);
}

TEST(Router, DiscoveryDocuments) {
  Api api;
  const json::value core = Api::json(api.call("GET", "/api/v1"));
  EXPECT_EQ(core.at("kind"), "APIResourceList");
  bool saw_services = false;
  bool saw_services_status = false;
  for (const auto& resource : core.at("resources").as_array()) {
    if (resource.at("name") == "services") {
      saw_services = true;
      EXPECT_EQ(resource.at("shortNames").at(0), "svc");
      EXPECT_EQ(resource.at("namespaced"), true);
    }
    saw_services_status = saw_services_status || resource.at("name") == "services/status";
  }
  EXPECT_TRUE(saw_services && saw_services_status);
  const json::value groups = Api::json(api.call("GET", "/apis"));
  EXPECT_EQ(groups.at("groups").as_array().size(), 3u);
  EXPECT_EQ(
      Api::json(api.call("GET", "/apis/networking.k8s.io/v1")).at("resources").at(0).at("kind"),
      "NetworkPolicy");
  EXPECT_EQ(Api::json(api.call("GET", "/api")).at("versions").at(0), "v1");
  EXPECT_EQ(Api::json(api.call("GET", "/version")).at("minor"), "32");
  EXPECT_EQ(api.call("GET", "/apis/apps/v1").status, 404);
  EXPECT_EQ(api.call("GET", "/api/v1/widgets").status, 404);
  EXPECT_EQ(api.call("GET", "/api/v1/pods/x").status, 404);  // needs a namespace
}

TEST(Router, ReadOnlyUsersGet403OnWrites) {
  Api api;
  const Response denied =
      api.call("POST", "/api/v1/namespaces/default/pods", pod_json("x"), "application/json", true);
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(Api::json(denied).at("reason"), "Forbidden");
  EXPECT_EQ(Api::json(denied).at("message"),
            "pods is forbidden: User \"tester\" cannot create resource \"pods\" in API group \"\" "
            "in the namespace \"default\"");
  EXPECT_EQ(api.call("GET", "/api/v1/namespaces/default/pods", "", "", true).status, 200);
  EXPECT_EQ(api.call("POST", "/_lite/compact", "", "", true).status, 403);
}

TEST(Router, MethodAndMediaTypeErrors) {
  Api api;
  EXPECT_EQ(api.call("PUT", "/api/v1/namespaces/default/pods", "{}").status, 405);
  EXPECT_EQ(api.call("POST", "/api/v1/namespaces/default/pods/x", "{}").status, 405);
  EXPECT_EQ(api.call("POST", "/api/v1/pods", pod_json("x")).status, 405);
  EXPECT_EQ(api.call("POST", "/api/v1/namespaces/default/pods", pod_json("x"),
                     "application/vnd.kubernetes.protobuf")
                .status,
            415);
}

TEST(Router, DeleteCollectionUsesSelectors) {
  Api api;
  for (const char* name : {"a", "b"}) {
    ASSERT_EQ(api.call("POST", "/api/v1/namespaces/default/pods",
                       pod_json(name, std::string(R"({"n":")") + name + "\"}"))
                  .status,
              201);
  }
  const Response r = api.call("DELETE", "/api/v1/namespaces/default/pods?labelSelector=n%3Da");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(names(Api::json(r)), (std::vector<std::string>{"a"}));
  EXPECT_EQ(names(Api::json(api.call("GET", "/api/v1/namespaces/default/pods"))),
            (std::vector<std::string>{"b"}));
}

}  // namespace
}  // namespace kr::apiserver_lite
