// Object lifecycle semantics through the router (no network).
#include <gtest/gtest.h>

#include "api_test_util.h"

namespace kr::apiserver_lite {
namespace {

using testing::Api;
using testing::pod_json;
namespace json = boost::json;

const char* kPods = "/api/v1/namespaces/default/pods";

std::string str(const json::value& v, std::initializer_list<const char*> path) {
  const json::value* node = &v;
  for (const char* member : path) {
    node = &node->at(member);
  }
  return node->is_string() ? std::string(node->get_string()) : json::serialize(*node);
}

TEST(Registry, CreateFillsServerManagedMetadata) {
  Api api;
  const Response created = api.call("POST", kPods, pod_json("web"));
  ASSERT_EQ(created.status, 201) << created.body;
  const json::value pod = Api::json(created);
  EXPECT_EQ(str(pod, {"metadata", "namespace"}), "default");
  EXPECT_EQ(str(pod, {"metadata", "uid"}).size(), 36u);
  EXPECT_FALSE(str(pod, {"metadata", "creationTimestamp"}).empty());
  EXPECT_EQ(std::stoull(str(pod, {"metadata", "resourceVersion"})), api.store.current_rv());
  EXPECT_EQ(str(pod, {"status", "phase"}), "Pending");                  // status is reset on create
  EXPECT_FALSE(pod.at("metadata").as_object().contains("generation"));  // pods: none in 1.32
}

TEST(Registry, CreateRejectsDuplicatesMissingNamespaceAndBadNames) {
  Api api;
  ASSERT_EQ(api.call("POST", kPods, pod_json("web")).status, 201);
  const Response duplicate = api.call("POST", kPods, pod_json("web"));
  EXPECT_EQ(duplicate.status, 409);
  EXPECT_EQ(str(Api::json(duplicate), {"reason"}), "AlreadyExists");
  EXPECT_EQ(str(Api::json(duplicate), {"message"}), "pods \"web\" already exists");

  const Response no_ns = api.call("POST", "/api/v1/namespaces/nope/pods", pod_json("web"));
  EXPECT_EQ(no_ns.status, 404);
  EXPECT_EQ(str(Api::json(no_ns), {"message"}), "namespaces \"nope\" not found");

  EXPECT_EQ(api.call("POST", kPods, pod_json("Bad_Name")).status, 422);
  EXPECT_EQ(api.call("POST", kPods, R"({"metadata":{}})").status, 422);
  EXPECT_EQ(api.call("POST", kPods, "{not json").status, 400);
  EXPECT_EQ(
      api.call("POST", kPods, R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"x"}})")
          .status,
      400);
  EXPECT_EQ(
      api.call("POST", kPods, R"({"metadata":{"name":"x","namespace":"kube-system"}})").status,
      400);
  EXPECT_EQ(api.call("POST", kPods, R"({"metadata":{"name":"x","labels":{"a":"b c"}}})").status,
            422);
}

TEST(Registry, GenerateNameAppendsFiveCharacters) {
  Api api;
  const Response created = api.call("POST", kPods, R"({"metadata":{"generateName":"web-"}})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string name = str(Api::json(created), {"metadata", "name"});
  EXPECT_EQ(name.size(), 9u);
  EXPECT_TRUE(name.starts_with("web-"));
}

TEST(Registry, UpdateNeedsCurrentResourceVersion) {
  Api api;
  json::value pod = Api::json(api.call("POST", kPods, pod_json("web")));
  const std::string rv = str(pod, {"metadata", "resourceVersion"});
  pod.at("metadata").as_object()["labels"] = json::object{{"v", "2"}};
  const Response updated = api.call("PUT", std::string(kPods) + "/web", json::serialize(pod));
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_NE(str(Api::json(updated), {"metadata", "resourceVersion"}), rv);

  // Same body again: its resourceVersion is now stale.
  const Response stale = api.call("PUT", std::string(kPods) + "/web", json::serialize(pod));
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(str(Api::json(stale), {"reason"}), "Conflict");
  EXPECT_EQ(str(Api::json(stale), {"message"}),
            "Operation cannot be fulfilled on pods \"web\": the object has been modified; please "
            "apply your changes to the latest version and try again");

  // Without a resourceVersion the update is unconditional.
  pod.at("metadata").as_object().erase("resourceVersion");
  EXPECT_EQ(api.call("PUT", std::string(kPods) + "/web", json::serialize(pod)).status, 200);
  EXPECT_EQ(api.call("PUT", std::string(kPods) + "/other", json::serialize(pod)).status, 400);
  EXPECT_EQ(api.call("PUT", std::string(kPods) + "/missing", pod_json("missing")).status, 404);
}

TEST(Registry, NoOpUpdateKeepsResourceVersion) {
  Api api;
  const Response created = api.call("POST", kPods, pod_json("web", R"({"a":"1"})"));
  const uint64_t rv = api.store.current_rv();
  const Response same =
      api.call("PATCH", std::string(kPods) + "/web", R"({"metadata":{"labels":{"a":"1"}}})",
               "application/merge-patch+json");
  EXPECT_EQ(same.status, 200);
  EXPECT_EQ(api.store.current_rv(), rv);
  EXPECT_EQ(Api::json(same), Api::json(created));
}

TEST(Registry, MainResourceIgnoresStatusAndStatusSubresourceIgnoresTheRest) {
  Api api;
  ASSERT_EQ(api.call("POST", kPods, pod_json("web")).status, 201);
  const std::string path = std::string(kPods) + "/web";
  Response r =
      api.call("PATCH", path, R"({"status":{"phase":"Running"},"metadata":{"labels":{"x":"y"}}})",
               "application/merge-patch+json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(str(Api::json(r), {"status", "phase"}), "Pending");
  EXPECT_EQ(str(Api::json(r), {"metadata", "labels", "x"}), "y");

  r = api.call(
      "PATCH", path + "/status",
      R"({"status":{"phase":"Running","podIP":"10.0.0.5"},"metadata":{"labels":{"x":"z"}}})",
      "application/merge-patch+json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(str(Api::json(r), {"status", "podIP"}), "10.0.0.5");
  EXPECT_EQ(str(Api::json(r), {"metadata", "labels", "x"}), "y");
  EXPECT_EQ(str(Api::json(api.call("GET", path + "/status")), {"status", "phase"}), "Running");

  // Resources without a status subresource have no /status endpoint.
  EXPECT_EQ(
      api.call("GET", "/apis/coordination.k8s.io/v1/namespaces/default/leases/x/status").status,
      404);
}

TEST(Registry, PatchTypes) {
  Api api;
  ASSERT_EQ(api.call("POST", kPods, pod_json("web", R"({"a":"1","b":"2"})")).status, 201);
  const std::string path = std::string(kPods) + "/web";
  Response r = api.call("PATCH", path, R"([{"op":"remove","path":"/metadata/labels/a"}])",
                        "application/json-patch+json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(Api::json(r).at("metadata").at("labels").as_object().contains("a"));

  r = api.call("PATCH", path, R"({"metadata":{"labels":{"c":"3"}}})",
               "application/strategic-merge-patch+json");
  EXPECT_EQ(str(Api::json(r), {"metadata", "labels", "c"}), "3");

  r = api.call("PATCH", path, R"([{"op":"test","path":"/metadata/name","value":"other"}])",
               "application/json-patch+json");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(api.call("PATCH", path, "{}", "application/apply-patch+yaml").status, 415);
  EXPECT_EQ(api.call("PATCH", path, "{", "application/merge-patch+json").status, 400);
  EXPECT_EQ(
      api.call("PATCH", std::string(kPods) + "/nope", "{}", "application/merge-patch+json").status,
      404);
  // A resourceVersion in the patch is a precondition.
  r = api.call("PATCH", path, R"({"metadata":{"resourceVersion":"1"}})",
               "application/merge-patch+json");
  EXPECT_EQ(r.status, 409);
}

TEST(Registry, GenerationFollowsSpecChanges) {
  Api api;
  const std::string path = "/apis/networking.k8s.io/v1/namespaces/default/networkpolicies";
  Response r = api.call("POST", path, R"({"metadata":{"name":"np"},"spec":{"podSelector":{}}})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(str(Api::json(r), {"metadata", "generation"}), "1");
  r = api.call("PATCH", path + "/np", R"({"metadata":{"labels":{"a":"b"}}})",
               "application/merge-patch+json");
  EXPECT_EQ(str(Api::json(r), {"metadata", "generation"}), "1");
  r = api.call("PATCH", path + "/np", R"({"spec":{"policyTypes":["Ingress"]}})",
               "application/merge-patch+json");
  EXPECT_EQ(str(Api::json(r), {"metadata", "generation"}), "2");
}

TEST(Registry, DeleteReturnsObjectAndHonoursPreconditions) {
  Api api;
  ASSERT_EQ(api.call("POST", kPods, pod_json("web")).status, 201);
  const std::string path = std::string(kPods) + "/web";
  EXPECT_EQ(api.call("DELETE", path, R"({"preconditions":{"resourceVersion":"999"}})").status, 409);
  const Response deleted = api.call("DELETE", path);
  ASSERT_EQ(deleted.status, 200);
  EXPECT_EQ(str(Api::json(deleted), {"metadata", "name"}), "web");
  EXPECT_EQ(api.call("GET", path).status, 404);
  EXPECT_EQ(api.call("DELETE", path).status, 404);
}

TEST(Registry, FinalizersDelayDeletionUntilRemoved) {
  Api api;
  const std::string path = std::string(kPods) + "/web";
  ASSERT_EQ(
      api.call("POST", kPods, R"({"metadata":{"name":"web","finalizers":["example.com/keep"]}})")
          .status,
      201);
  const Response pending = api.call("DELETE", path);
  EXPECT_EQ(pending.status, 202);
  EXPECT_FALSE(str(Api::json(pending), {"metadata", "deletionTimestamp"}).empty());
  EXPECT_EQ(api.call("GET", path).status, 200);
  const Response done = api.call("PATCH", path, R"({"metadata":{"finalizers":null}})",
                                 "application/merge-patch+json");
  EXPECT_EQ(done.status, 200);
  EXPECT_EQ(api.call("GET", path).status, 404);
}

TEST(Registry, NamespaceLifecycle) {
  Api api;
  Response r = api.call("POST", "/api/v1/namespaces", R"({"metadata":{"name":"team"}})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(str(Api::json(r), {"metadata", "labels", "kubernetes.io/metadata.name"}), "team");
  EXPECT_EQ(str(Api::json(r), {"status", "phase"}), "Active");
  ASSERT_EQ(api.call("POST", "/api/v1/namespaces/team/pods", pod_json("p")).status, 201);
  EXPECT_EQ(api.call("DELETE", "/api/v1/namespaces/team").status, 200);
  EXPECT_EQ(api.call("GET", "/api/v1/namespaces/team/pods/p").status, 404);
  const Response protected_ns = api.call("DELETE", "/api/v1/namespaces/default");
  EXPECT_EQ(protected_ns.status, 403);
  for (const char* ns : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    EXPECT_EQ(api.call("GET", std::string("/api/v1/namespaces/") + ns).status, 200) << ns;
  }
}

TEST(Registry, LeasesCanBeCreatedByUpdate) {
  Api api;
  const std::string path = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/lock";
  const Response r =
      api.call("PUT", path, R"({"metadata":{"name":"lock"},"spec":{"holderIdentity":"a"}})");
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(api.call("PUT", "/api/v1/nodes/n1", R"({"metadata":{"name":"n1"}})").status, 404);
}

}  // namespace
}  // namespace kr::apiserver_lite
