// Informers against apiserver-lite: sync with pagination, the EndpointSlice index, recovery
// from dropped watches, forced 410s and error bursts, and malformed objects.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness.h"
#include "object_json.h"
#include "support/wait.h"

namespace kr::k8s::testing {
namespace {

using kr::testing::ApiServerLite;
using kr::testing::HttpResponse;
using kr::testing::KubeconfigAuth;
using kr::testing::PatchType;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

ClientConfig config_for(const ApiServerLite& api) {
  return load_kubeconfig(api.write_kubeconfig(KubeconfigAuth::kToken));
}

// A write from the test, repeated while armed faults (5xx, 429) make it fail.
template <class Write>
HttpResponse retrying(Write&& write) {
  for (;;) {
    HttpResponse r = write();
    if (r.status < 500 && r.status != 429) {
      return r;
    }
  }
}

TEST(InformerIntegration, SyncsEveryKindThroughPagesAndIndexesSlices) {
  ApiServerLite api;
  for (int i = 0; i < 23; ++i) {
    ASSERT_EQ(api.create(pod_json("default", "pod-" + std::to_string(i))).status, 201);
  }
  ASSERT_EQ(api.create(namespace_json("shop", "a")).status, 201);
  ASSERT_EQ(api.create(service_json("shop", "web", "LoadBalancer")).status, 201);
  ASSERT_EQ(api.create(service_json("shop", "db")).status, 201);
  ASSERT_EQ(api.create(slice_json("shop", "web-1", "web", "10.244.1.1")).status, 201);
  ASSERT_EQ(api.create(slice_json("shop", "web-2", "web", "10.244.1.2")).status, 201);
  ASSERT_EQ(api.create(slice_json("shop", "db-1", "db", "10.244.2.1")).status, 201);
  ASSERT_EQ(api.create(node_json("node-1", "192.168.1.1")).status, 201);
  ASSERT_EQ(api.create(policy_json("shop", "allow-http")).status, 201);

  Harness h(config_for(api), fast_options(/*page_size=*/5));
  InformerSet& inf = h.informers();
  inf.start();
  ASSERT_EQ(inf.wait_for_sync(std::chrono::seconds(30)), std::nullopt);
  EXPECT_TRUE(inf.has_synced());

  EXPECT_EQ(cache_state(inf.pods()), server_state(api, "/api/v1/pods"));
  EXPECT_EQ(cache_state(inf.services()), server_state(api, "/api/v1/services"));
  EXPECT_EQ(cache_state(inf.endpoint_slices()),
            server_state(api, "/apis/discovery.k8s.io/v1/endpointslices"));
  EXPECT_EQ(cache_state(inf.nodes()), server_state(api, "/api/v1/nodes"));
  EXPECT_EQ(cache_state(inf.namespaces()), server_state(api, "/api/v1/namespaces"));
  EXPECT_EQ(cache_state(inf.network_policies()),
            server_state(api, "/apis/networking.k8s.io/v1/networkpolicies"));
  EXPECT_EQ(inf.pods().snapshot().size(), 23u);
  EXPECT_EQ(h.client().metrics().pods.objects_cached.load(), 23);
  EXPECT_EQ(h.client().metrics().pods.lists_total.load(), 1u);

  std::vector<std::string> web;
  for (const auto& s : inf.endpoint_slices().snapshot().indexed("shop/web")) {
    web.push_back(s->meta.name);
  }
  EXPECT_THAT(web, ElementsAre("web-1", "web-2"));
  const auto svc = inf.services().snapshot().get("shop", "web");
  ASSERT_NE(svc, nullptr);
  EXPECT_EQ(svc->type, "LoadBalancer");
  EXPECT_EQ(svc->meta.annotations.get("kube-router.io/service.scheduler"), "lc");
  EXPECT_EQ(inf.nodes().snapshot().get("", "node-1")->addresses[0].address, "192.168.1.1");
  EXPECT_EQ(inf.network_policies().snapshot().get("shop", "allow-http")->ingress.size(), 1u);
  EXPECT_EQ(inf.namespaces().snapshot().get("", "shop")->meta.labels.get("team"), "a");
}

// Watches dropped, history compacted (the next watch gets 410 Gone and the informer relists),
// and bursts of 5xx/429 answers, interleaved with creates, updates and deletes: the caches end
// equal to the server, and the handlers saw every change exactly once, in order.
TEST(InformerIntegration, CachesMatchServerAfterDropsGoneAndErrorBursts) {
  ApiServerLite api;
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(api.create(pod_json("default", "p" + std::to_string(i))).status, 201);
  }
  ASSERT_EQ(api.create(service_json("default", "s0")).status, 201);

  ReflectorOptions options = fast_options(/*page_size=*/4);
  // After a dropped watch the reflectors wait exactly 2 s before reconnecting: time for the
  // test to change objects and compact the history while they are away.
  options.backoff.initial = std::chrono::seconds(2);
  options.backoff.cap = std::chrono::seconds(2);
  options.backoff.jitter = 0;
  Harness h(config_for(api), options);
  EventLog<Pod> pods;
  EventLog<Service> services;
  h.informers().pods().add_handlers(pods.handlers());
  h.informers().services().add_handlers(services.handlers());
  h.informers().start();
  ASSERT_EQ(h.informers().wait_for_sync(std::chrono::seconds(30)), std::nullopt);

  int next = 10;
  const auto churn = [&](int step) {
    retrying([&] { return api.create(pod_json("default", "p" + std::to_string(next++))); });
    retrying([&] {
      return api.patch("/api/v1/namespaces/default/pods/p" + std::to_string(step),
                       R"({"metadata":{"labels":{"step":")" + std::to_string(step) + R"("}}})",
                       PatchType::kMerge);
    });
    retrying(
        [&] { return api.remove("/api/v1/namespaces/default/pods/p" + std::to_string(step + 5)); });
    retrying([&] { return api.create(service_json("default", "s" + std::to_string(step + 1))); });
  };
  constexpr int kRounds = 4;
  for (int round = 0; round < kRounds; ++round) {
    // A pod that shows up in the cache proves the pod watch is open, so the drop hits it.
    const std::string canary = "canary-" + std::to_string(round);
    retrying([&] { return api.create(pod_json("default", canary)); });
    ASSERT_TRUE(kr::test::wait_until(
        [&] { return h.informers().pods().snapshot().get("default", canary) != nullptr; },
        std::chrono::seconds(60)));
    api.drop_watches();
    churn(2 * round);  // missed by the watches...
    api.compact();     // ...and no longer in the history: reconnecting gets 410 Gone
    churn(2 * round + 1);
    const auto want_pods = server_state(api, "/api/v1/pods");
    const auto want_services = server_state(api, "/api/v1/services");
    // The reflectors' next requests (one per kind) meet an error burst first; from here on
    // the test sends no API request until the caches have caught up.
    api.fail_next(round % 2 == 0 ? 500 + round : 429, 6);
    ASSERT_TRUE(kr::test::wait_until(
        [&] {
          return cache_state(h.informers().pods()) == want_pods && pods.model() == want_pods &&
                 cache_state(h.informers().services()) == want_services &&
                 services.model() == want_services;
        },
        std::chrono::seconds(60)))
        << "caches never matched the server in round " << round;
  }
  EXPECT_THAT(pods.errors(), IsEmpty());
  EXPECT_THAT(services.errors(), IsEmpty());
  EXPECT_GT(pods.deletes(), 0);
  EXPECT_GT(pods.updates(), 0);
  const KindMetrics& m = h.client().metrics().pods;
  EXPECT_GE(m.relists_total.load(), static_cast<uint64_t>(kRounds));
  EXPECT_GE(m.watch_restarts_total.load(), static_cast<uint64_t>(2 * kRounds));
  EXPECT_EQ(m.decode_errors_total.load(), 0u);
}

TEST(InformerIntegration, MalformedObjectIsSkippedAndCountedWhileOthersFlow) {
  ApiServerLite api;
  ASSERT_EQ(api.create(pod_json("default", "good-1")).status, 201);
  const HttpResponse bad = api.create(
      R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"bad","namespace":"default"},)"
      R"("spec":{"nodeName":12345,"containers":[{"name":"c","image":"x"}]}})");
  ASSERT_EQ(bad.status, 201) << bad.body;

  Harness h(config_for(api));
  h.informers().start();
  ASSERT_EQ(h.informers().wait_for_sync(std::chrono::seconds(30)), std::nullopt);
  const KindMetrics& m = h.client().metrics().pods;
  EXPECT_EQ(m.decode_errors_total.load(), 1u);
  EXPECT_EQ(h.informers().pods().snapshot().get("default", "bad"), nullptr);
  EXPECT_NE(h.informers().pods().snapshot().get("default", "good-1"), nullptr);

  // Later objects keep flowing through the watch; a second bad one is counted too.
  ASSERT_EQ(api.create(pod_json("default", "good-2")).status, 201);
  const HttpResponse bad2 =
      api.create(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"bad-2",)"
                 R"("namespace":"default"},"spec":{"hostNetwork":"yes"}})");
  ASSERT_EQ(bad2.status, 201) << bad2.body;
  ASSERT_EQ(api.create(pod_json("default", "good-3")).status, 201);
  ASSERT_TRUE(kr::test::wait_until(
      [&] { return h.informers().pods().snapshot().get("default", "good-3") != nullptr; },
      std::chrono::seconds(30)));
  EXPECT_NE(h.informers().pods().snapshot().get("default", "good-2"), nullptr);
  EXPECT_EQ(h.informers().pods().snapshot().size(), 3u);
  EXPECT_EQ(m.decode_errors_total.load(), 2u);
  // Fixing the object makes it appear.
  ASSERT_EQ(api.remove("/api/v1/namespaces/default/pods/bad").status, 200);
  ASSERT_EQ(api.create(pod_json("default", "bad", "node-9")).status, 201);
  ASSERT_TRUE(kr::test::wait_until(
      [&] { return h.informers().pods().snapshot().get("default", "bad") != nullptr; },
      std::chrono::seconds(30)));
  EXPECT_EQ(h.informers().pods().snapshot().get("default", "bad")->node_name, "node-9");
}

}  // namespace
}  // namespace kr::k8s::testing
