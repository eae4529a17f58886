// kubectl 1.32 against apiserver-lite: every kubeconfig variant the fixture writes, and the
// everyday verbs (get, create -f, replace, label, annotate, patch, apply, delete, get -o json).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <fstream>

#include "apiserver_lite_fixture.h"
#include "process_util.h"

namespace kr::testing {
namespace {

namespace json = boost::json;

class KubectlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!in_path("kubectl")) {
      GTEST_SKIP() << "kubectl is not installed";
    }
    api_ = std::make_unique<ApiServerLite>();
    kubeconfig_ = api_->write_kubeconfig(KubeconfigAuth::kToken);
  }

  // kubectl with a private cache dir, so nothing under $HOME is read or written.
  CommandResult kubectl(std::vector<std::string> args, const std::string& kubeconfig = "") {
    std::vector<std::string> argv = {
        "kubectl", "--kubeconfig=" + (kubeconfig.empty() ? kubeconfig_ : kubeconfig),
        "--cache-dir=" + api_->dir() + "/kubectl-cache", "--request-timeout=30s"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv);
  }

  json::value get_json(const std::string& what) {
    const CommandResult r = kubectl({"get", what, "-o", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return r.exit_code == 0 ? json::parse(r.output) : json::value();
  }

  std::string write(const std::string& name, const std::string& contents) {
    std::string path = api_->dir() + "/" + name;
    std::ofstream(path) << contents;
    return path;
  }

  std::unique_ptr<ApiServerLite> api_;
  std::string kubeconfig_;
};

TEST_F(KubectlTest, EveryKubeconfigVariantAuthenticates) {
  for (const KubeconfigAuth auth :
       {KubeconfigAuth::kToken, KubeconfigAuth::kTokenFile, KubeconfigAuth::kClientCertFiles,
        KubeconfigAuth::kInlineData, KubeconfigAuth::kInsecureSkipVerify}) {
    const CommandResult r =
        kubectl({"get", "namespaces", "-o", "name"}, api_->write_kubeconfig(auth));
    EXPECT_EQ(r.exit_code, 0) << static_cast<int>(auth) << ": " << r.output;
    EXPECT_NE(r.output.find("namespace/kube-system"), std::string::npos) << r.output;
  }
}

TEST_F(KubectlTest, CreateReplaceLabelAnnotatePatchDelete) {
  const std::string manifest = write("svc.yaml", R"(apiVersion: v1
kind: Service
metadata:
  name: web
  labels:
    app: web
spec:
  ports:
  - port: 80
    targetPort: 8080
)");
  CommandResult r = kubectl({"create", "-f", manifest});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("service/web created"), std::string::npos) << r.output;
  r = kubectl({"create", "-f", manifest});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("AlreadyExists"), std::string::npos) << r.output;

  r = kubectl({"get", "svc"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("web"), std::string::npos) << r.output;

  json::value service = get_json("service/web");
  EXPECT_EQ(service.at("kind"), "Service");
  EXPECT_EQ(service.at("spec").at("ports").at(0).at("targetPort"), 8080);

  // replace -f with a changed spec.
  service.at("spec").at("ports").at(0).as_object()["targetPort"] = 9090;
  r = kubectl({"replace", "-f", write("svc.json", json::serialize(service))});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(get_json("service/web").at("spec").at("ports").at(0).at("targetPort"), 9090);
  // The same file again carries a stale resourceVersion.
  r = kubectl({"replace", "-f", api_->dir() + "/svc.json"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("the object has been modified"), std::string::npos) << r.output;

  ASSERT_EQ(kubectl({"label", "service", "web", "tier=frontend"}).exit_code, 0);
  ASSERT_EQ(kubectl({"annotate", "service", "web", "owner=team-a"}).exit_code, 0);
  r = kubectl({"patch", "service", "web", "--type=merge", "-p",
               R"({"metadata":{"labels":{"merged":"yes"}}})"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = kubectl({"patch", "service", "web", "--type=json", "-p",
               R"([{"op":"replace","path":"/spec/ports/0/port","value":8081}])"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = kubectl({"patch", "service", "web", "-p", R"({"metadata":{"labels":{"app":null}}})"});
  ASSERT_EQ(r.exit_code, 0) << r.output;  // strategic merge patch, kubectl's default

  service = get_json("svc/web");
  EXPECT_EQ(service.at("metadata").at("labels"),
            json::parse(R"({"tier":"frontend","merged":"yes"})"));
  EXPECT_EQ(service.at("metadata").at("annotations").at("owner"), "team-a");
  EXPECT_EQ(service.at("spec").at("ports").at(0).at("port"), 8081);

  r = kubectl({"get", "services", "-l", "tier=frontend", "-o", "name"});
  EXPECT_EQ(r.output, "service/web\n");

  r = kubectl({"delete", "service", "web"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = kubectl({"get", "service", "web"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("NotFound"), std::string::npos) << r.output;
}

TEST_F(KubectlTest, ApplyMergesListsByKey) {
  const std::string manifest = R"(apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 80}
  - {name: https, port: PORT}
)";
  auto with_port = [&](const std::string& port) {
    std::string text = manifest;
    text.replace(text.find("PORT"), 4, port);
    return write("apply.yaml", text);
  };
  CommandResult r = kubectl({"apply", "-f", with_port("443")});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // The second apply sends a strategic merge patch that deletes port 443 by its merge key and
  // adds 8443; port 80 must survive.
  r = kubectl({"apply", "-f", with_port("8443")});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("service/web configured"), std::string::npos) << r.output;
  const json::value ports = get_json("service/web").at("spec").at("ports");
  ASSERT_EQ(ports.as_array().size(), 2u) << json::serialize(ports);
  EXPECT_EQ(ports.at(0).at("port"), 80);
  EXPECT_EQ(ports.at(1).at("port"), 8443);
  r = kubectl({"apply", "-f", api_->dir() + "/apply.yaml"});
  EXPECT_NE(r.output.find("service/web unchanged"), std::string::npos) << r.output;
}

TEST_F(KubectlTest, OtherKindsAndShortNames) {
  const std::string manifest = write("objects.yaml", R"(apiVersion: v1
kind: Namespace
metadata:
  name: team
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-all
  namespace: team
spec:
  podSelector: {}
  policyTypes: [Ingress]
---
apiVersion: v1
kind: Node
metadata:
  name: node-1
)");
  CommandResult r = kubectl({"create", "-f", manifest});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = kubectl({"get", "netpol", "-n", "team", "-o", "name"});
  EXPECT_EQ(r.output, "networkpolicy.networking.k8s.io/deny-all\n");
  r = kubectl({"get", "no", "-o", "name"});
  EXPECT_EQ(r.output, "node/node-1\n");
  r = kubectl({"delete", "ns", "team"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = kubectl({"get", "networkpolicies", "-A", "-o", "name"});
  EXPECT_EQ(r.output.find("deny-all"), std::string::npos) << r.output;
}

TEST_F(KubectlTest, ReadOnlyUserIsForbiddenToWrite) {
  const std::string kubeconfig = write("readonly.yaml", R"(apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: )" + api_->url() + R"(
    certificate-authority: )" + api_->ca_file() + R"(
users:
- name: viewer
  user:
    token: )" + api_->readonly_token() + R"(
contexts:
- name: c
  context: {cluster: c, user: viewer}
current-context: c
)");
  CommandResult r = kubectl({"get", "namespaces", "-o", "name"}, kubeconfig);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  r = kubectl({"label", "namespace", "default", "x=y"}, kubeconfig);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("is forbidden: User \"viewer\" cannot patch resource \"namespaces\""),
            std::string::npos)
      << r.output;
}

}  // namespace
}  // namespace kr::testing
