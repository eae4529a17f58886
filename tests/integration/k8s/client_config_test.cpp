// The client reaches a real HTTPS API server (apiserver-lite) with every way of configuring it,
// and refuses servers it cannot verify.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "harness.h"
#include "k8s/rest_transport.h"
#include "object_json.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace kr::k8s::testing {
namespace {

using kr::testing::ApiServerLite;
using kr::testing::KubeconfigAuth;
using ::testing::HasSubstr;

using kr::test::read_file;

// Syncs all six informers and checks that a pod created beforehand is in the cache.
void expect_syncs(const ApiServerLite& api, const ClientConfig& config) {
  Harness h(config);
  h.informers().start();
  ASSERT_EQ(h.informers().wait_for_sync(std::chrono::seconds(30)), std::nullopt);
  const auto pod = h.informers().pods().snapshot().get("default", "probe");
  ASSERT_NE(pod, nullptr);
  EXPECT_EQ(pod->node_name, "node-7");
  EXPECT_NE(h.informers().namespaces().snapshot().get("", "kube-system"), nullptr);
  (void)api;
}

class ClientConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(api.create(pod_json("default", "probe", "node-7")).status, 201);
  }
  ApiServerLite api;
};

TEST_F(ClientConfigTest, EveryKubeconfigVariantSyncs) {
  for (const KubeconfigAuth auth :
       {KubeconfigAuth::kToken, KubeconfigAuth::kTokenFile, KubeconfigAuth::kClientCertFiles,
        KubeconfigAuth::kInlineData, KubeconfigAuth::kInsecureSkipVerify}) {
    SCOPED_TRACE(static_cast<int>(auth));
    expect_syncs(api, load_kubeconfig(api.write_kubeconfig(auth)));
  }
}

TEST_F(ClientConfigTest, InClusterAndMasterModesUseTheServiceAccount) {
  kr::test::TempDir dir("k8s-sa");
  dir.write("sa/token", api.token() + "\n");
  dir.write("sa/ca.crt", read_file(api.ca_file()));
  InClusterEnv env;
  env.host = "127.0.0.1";
  env.port = std::to_string(api.port());
  env.service_account_dir = dir.path() / "sa";
  expect_syncs(api, build_client_config("", "", env));
  // --master alone: the service account's credentials, the flag's address.
  InClusterEnv no_service_env = env;
  no_service_env.host.clear();
  no_service_env.port.clear();
  expect_syncs(api, build_client_config("", api.url(), no_service_env));
}

TEST_F(ClientConfigTest, MasterOverridesTheKubeconfigServer) {
  // The kubeconfig points at a closed port; --master points at the server.
  const std::string kubeconfig = api.write_kubeconfig(KubeconfigAuth::kToken);
  std::string text = read_file(kubeconfig);
  const size_t at = text.find(api.url());
  ASSERT_NE(at, std::string::npos);
  text.replace(at, api.url().size(), "https://127.0.0.1:1");
  kr::test::TempDir dir("k8s-kc");
  const auto path = dir.write("kubeconfig", text);
  expect_syncs(api, build_client_config(path.string(), api.url(), InClusterEnv{}));
}

TEST_F(ClientConfigTest, ServerThatFailsVerificationIsRefused) {
  const ClientConfig good = load_kubeconfig(api.write_kubeconfig(KubeconfigAuth::kToken));
  // A valid certificate that did not issue the server's: the chain does not verify.
  ClientConfig wrong_ca = good;
  wrong_ca.ca_pem = read_file(api.client_cert_file());
  // The right CA, but a name the server certificate does not carry.
  ClientConfig wrong_name = good;
  wrong_name.tls_server_name = "not-the-apiserver.example";
  for (const ClientConfig& config : {wrong_ca, wrong_name}) {
    Harness h(config);
    const auto r = h.wait<Namespace>(
        [&](auto done) { h.client().get<Namespace>("", "default", std::move(done)); });
    EXPECT_EQ(r.status, ApiStatus::kError);
    EXPECT_EQ(r.http_status, 0);
    EXPECT_THAT(r.message, HasSubstr("certificate verification failed"));
    // The informers do not sync against such a server.
    h.informers().start();
    EXPECT_EQ(h.informers().wait_for_sync(std::chrono::seconds(1)),
              "failed to synchronize cache: 1s timeout");
  }
  // Control: the same server with the right CA and name works.
  Harness h(good);
  const auto r = h.wait<Namespace>(
      [&](auto done) { h.client().get<Namespace>("", "default", std::move(done)); });
  EXPECT_TRUE(r.ok()) << r.message;
}

TEST_F(ClientConfigTest, RotatedTokenFileRecoversFromUnauthorized) {
  kr::test::TempDir dir("k8s-token");
  const auto token = dir.write("token", "not-a-valid-token");
  ClientConfig config = load_kubeconfig(api.write_kubeconfig(KubeconfigAuth::kToken));
  config.token.clear();
  config.token_file = token.string();
  Harness h(config);
  h.informers().start();
  // Every LIST gets 401 meanwhile: nothing syncs.
  EXPECT_EQ(h.informers().wait_for_sync(std::chrono::milliseconds(1500)),
            "failed to synchronize cache: 1.5s timeout");
  EXPECT_FALSE(h.informers().pods().has_synced());
  // The kubelet rotates the token: a new file renamed over the old one.
  dir.write("token.new", api.token());
  std::filesystem::rename(dir.path() / "token.new", token);
  EXPECT_EQ(h.informers().wait_for_sync(std::chrono::seconds(30)), std::nullopt);
  EXPECT_NE(h.informers().pods().snapshot().get("default", "probe"), nullptr);
}

TEST_F(ClientConfigTest, RequestsReuseOneKeepAliveConnection) {
  Harness h(load_kubeconfig(api.write_kubeconfig(KubeconfigAuth::kToken)));
  for (int i = 0; i < 5; ++i) {
    const auto r =
        h.wait<Pod>([&](auto done) { h.client().get<Pod>("default", "probe", std::move(done)); });
    ASSERT_TRUE(r.ok()) << r.message;
    EXPECT_EQ(r.object->node_name, "node-7");
  }
  EXPECT_EQ(h.client().transport()->connections_opened(), 1u);
}

}  // namespace
}  // namespace kr::k8s::testing
