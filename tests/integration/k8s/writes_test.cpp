// The writes the controllers make: Service status patches and Lease create/update with
// resourceVersion preconditions.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "harness.h"
#include "k8s/time.h"
#include "object_json.h"

namespace kr::k8s::testing {
namespace {

using kr::testing::ApiServerLite;
using kr::testing::KubeconfigAuth;
using ::testing::HasSubstr;

class WritesTest : public ::testing::Test {
 protected:
  ApiServerLite api;
  Harness h{load_kubeconfig(api.write_kubeconfig(KubeconfigAuth::kToken))};

  ApiResult<Lease> create(const Lease& l) {
    return h.wait<Lease>([&](auto done) { h.client().create_lease(l, std::move(done)); });
  }
  ApiResult<Lease> update(const Lease& l) {
    return h.wait<Lease>([&](auto done) { h.client().update_lease(l, std::move(done)); });
  }
  ApiResult<Lease> get(const std::string& ns, const std::string& name) {
    return h.wait<Lease>([&](auto done) { h.client().get<Lease>(ns, name, std::move(done)); });
  }
};

TEST_F(WritesTest, ServiceStatusMergePatch) {
  ASSERT_EQ(api.create(service_json("default", "lb", "LoadBalancer")).status, 201);
  std::vector<LoadBalancerIngress> ingress{{"198.51.100.7", "", Interned()},
                                           {"2001:db8::7", "", Interned("VIP")}};
  const auto r = h.wait<Service>([&](auto done) {
    h.client().patch_service_status("default", "lb", ingress, "", std::move(done));
  });
  ASSERT_TRUE(r.ok()) << r.message;
  ASSERT_EQ(r.object->load_balancer_ingress.size(), 2u);
  EXPECT_EQ(r.object->load_balancer_ingress[1].ip, "2001:db8::7");
  // The server has it, and the spec was not touched.
  const auto stored = boost::json::parse(api.get("/api/v1/namespaces/default/services/lb").body);
  EXPECT_EQ(stored.at("status").at("loadBalancer").at("ingress").at(0).at("ip").as_string(),
            "198.51.100.7");
  EXPECT_EQ(stored.at("spec").at("type").as_string(), "LoadBalancer");

  // With a stale resourceVersion the patch is refused as a conflict.
  const auto stale = h.wait<Service>([&](auto done) {
    h.client().patch_service_status("default", "lb", {}, "1", std::move(done));
  });
  EXPECT_EQ(stale.status, ApiStatus::kConflict);
  EXPECT_EQ(stale.http_status, 409);
  const auto missing = h.wait<Service>([&](auto done) {
    h.client().patch_service_status("default", "nope", ingress, "", std::move(done));
  });
  EXPECT_EQ(missing.status, ApiStatus::kNotFound);
}

TEST_F(WritesTest, LeaseCreateUpdateWithPreconditions) {
  EXPECT_EQ(get("kube-system", "kube-router-lballoc").status, ApiStatus::kNotFound);

  Lease lease;
  lease.meta.namespace_ = Interned("kube-system");
  lease.meta.name = "kube-router-lballoc";
  lease.holder_identity = "kube-router-a";
  lease.lease_duration_seconds = 15;
  lease.acquire_time = *parse_rfc3339("2024-05-01T10:00:00.123456Z");
  lease.renew_time = lease.acquire_time;
  lease.lease_transitions = 0;
  const auto created = create(lease);
  ASSERT_TRUE(created.ok()) << created.message;
  EXPECT_EQ(created.http_status, 201);
  EXPECT_EQ(created.object->holder_identity, "kube-router-a");
  EXPECT_EQ(format_micro_time(*created.object->renew_time), "2024-05-01T10:00:00.123456Z");
  ASSERT_FALSE(created.object->meta.resource_version.empty());

  const auto again = create(lease);
  EXPECT_EQ(again.status, ApiStatus::kAlreadyExists);
  EXPECT_EQ(again.http_status, 409);

  // Renew on the version we hold: accepted.
  Lease renewed = *created.object;
  renewed.renew_time = *parse_rfc3339("2024-05-01T10:00:05Z");
  const auto updated = update(renewed);
  ASSERT_TRUE(updated.ok()) << updated.message;
  EXPECT_NE(updated.object->meta.resource_version, created.object->meta.resource_version);

  // Another candidate still holding the old version: 409 Conflict, nothing written.
  Lease takeover = *created.object;
  takeover.holder_identity = "kube-router-b";
  takeover.lease_transitions = 1;
  const auto conflict = update(takeover);
  EXPECT_EQ(conflict.status, ApiStatus::kConflict);
  EXPECT_EQ(conflict.http_status, 409);
  EXPECT_THAT(conflict.message, HasSubstr("kube-router-lballoc"));
  const auto now = get("kube-system", "kube-router-lballoc");
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now.object->holder_identity, "kube-router-a");
  EXPECT_EQ(format_micro_time(*now.object->renew_time), "2024-05-01T10:00:05.000000Z");
}

TEST_F(WritesTest, BadNamesAreRefusedBeforeSending) {
  Lease lease;
  lease.meta.namespace_ = Interned("kube-system");
  lease.meta.name = "../../nodes/x";
  EXPECT_EQ(create(lease).status, ApiStatus::kError);
  EXPECT_THAT(create(lease).message, HasSubstr("invalid Lease name"));
  lease.meta.name = "ok";
  EXPECT_THAT(update(lease).message, HasSubstr("needs a resourceVersion"));
}

}  // namespace
}  // namespace kr::k8s::testing
