#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "k8s/client_config.h"
#include "support/temp_dir.h"
#include "test_pki.h"

namespace kr::k8s {
namespace {

using kr::test::TempDir;
using ::testing::HasSubstr;

std::string base64(const std::string& in) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const uint32_t n = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) {
      out += alphabet[(n >> s) & 63];
    }
  }
  if (i + 1 == in.size()) {
    const uint32_t n = static_cast<unsigned char>(in[i]) << 16;
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    const uint32_t n =
        (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += alphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

// A kubeconfig with two contexts; `cluster` and `user` are inserted as YAML map bodies.
std::string kubeconfig(const std::string& cluster, const std::string& user,
                       const std::string& current = "main") {
  return "apiVersion: v1\n"
         "kind: Config\n"
         "current-context: " +
         current +
         "\n"
         "contexts:\n"
         "- name: other\n"
         "  context: {cluster: other, user: other}\n"
         "- name: main\n"
         "  context: {cluster: c1, user: u1}\n"
         "clusters:\n"
         "- name: other\n"
         "  cluster: {server: 'https://other.example:6443'}\n"
         "- name: c1\n"
         "  cluster:\n" +
         cluster +
         "users:\n"
         "- name: other\n"
         "  user: {token: other-token}\n"
         "- name: u1\n"
         "  user:\n" +
         user;
}

class KubeconfigTest : public ::testing::Test {
 protected:
  TempDir dir{"k8s"};
  testing::TestPki pki = testing::make_test_pki();

  ClientConfig load(const std::string& text) {
    return load_kubeconfig(dir.write("conf/kubeconfig", text));
  }
  std::string load_error(const std::string& text) {
    try {
      load(text);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "no error";
  }
};

TEST_F(KubeconfigTest, TokenWithCaFileResolvedRelativeToKubeconfig) {
  dir.write("conf/pki/ca.crt", pki.ca_cert_pem);
  const ClientConfig c =
      load(kubeconfig("    server: https://10.0.0.1:6443\n    certificate-authority: pki/ca.crt\n",
                      "    token: abc123\n"));
  EXPECT_EQ(c.server, "https://10.0.0.1:6443");
  EXPECT_EQ(c.ca_pem, pki.ca_cert_pem);
  EXPECT_EQ(c.token, "abc123");
  EXPECT_TRUE(c.token_file.empty());
  EXPECT_FALSE(c.insecure_skip_tls_verify);
  EXPECT_THAT(c.origin, HasSubstr("conf/kubeconfig"));
}

TEST_F(KubeconfigTest, InlineDataForCaAndClientCertificate) {
  const ClientConfig c =
      load(kubeconfig("    server: https://api.example:443\n"
                      "    certificate-authority-data: " +
                          base64(pki.ca_cert_pem) +
                          "\n"
                          "    tls-server-name: kubernetes.default\n",
                      "    client-certificate-data: " + base64(pki.cert_pem) +
                          "\n"
                          "    client-key-data: " +
                          base64(pki.key_pem) + "\n"));
  EXPECT_EQ(c.ca_pem, pki.ca_cert_pem);
  EXPECT_EQ(c.client_cert_pem, pki.cert_pem);
  EXPECT_EQ(c.client_key_pem, pki.key_pem);
  EXPECT_EQ(c.tls_server_name, "kubernetes.default");
}

TEST_F(KubeconfigTest, ClientCertificateFilesAndAbsoluteTokenFile) {
  dir.write("conf/client.crt", pki.cert_pem);
  dir.write("conf/client.key", pki.key_pem);
  const auto token = dir.write("elsewhere/token", "tok\n");
  const ClientConfig c =
      load(kubeconfig("    server: https://[fd00::1]:6443\n    insecure-skip-tls-verify: true\n",
                      "    client-certificate: client.crt\n    client-key: client.key\n"
                      "    tokenFile: " +
                          token.string() + "\n"));
  EXPECT_TRUE(c.insecure_skip_tls_verify);
  EXPECT_TRUE(c.ca_pem.empty());
  EXPECT_EQ(c.client_cert_pem, pki.cert_pem);
  EXPECT_EQ(c.token_file, token.string());
}

TEST_F(KubeconfigTest, RelativeTokenFileResolvedAgainstKubeconfigDirectory) {
  dir.write("conf/secrets/token", "t");
  const ClientConfig c =
      load(kubeconfig("    server: https://a:1\n", "    tokenFile: secrets/token\n"));
  EXPECT_EQ(c.token_file, (dir.path() / "conf/secrets/token").string());
}

TEST_F(KubeconfigTest, DataWinsOverFile) {
  // The file does not exist: it must not even be read when the -data form is present.
  const ClientConfig c =
      load(kubeconfig("    server: https://a:1\n    certificate-authority: missing.crt\n"
                      "    certificate-authority-data: " +
                          base64(pki.ca_cert_pem) + "\n",
                      "    token: t\n"));
  EXPECT_EQ(c.ca_pem, pki.ca_cert_pem);
}

TEST_F(KubeconfigTest, CurrentContextSelectsClusterAndUser) {
  const ClientConfig c = load(kubeconfig("    server: https://a:1\n", "    token: t\n", "other"));
  EXPECT_EQ(c.server, "https://other.example:6443");
  EXPECT_EQ(c.token, "other-token");
}

TEST_F(KubeconfigTest, BareHostGetsHttps) {
  const ClientConfig c = load(kubeconfig("    server: 10.1.2.3:6443\n", "    token: t\n"));
  EXPECT_EQ(c.server, "https://10.1.2.3:6443");
}

TEST_F(KubeconfigTest, ErrorsNameTheFileAndTheReason) {
  EXPECT_THAT(load_error("current-context: x\n"), HasSubstr("no \"contexts\" list"));
  EXPECT_THAT(load_error("kind: Config\n"), HasSubstr("current-context is not set"));
  EXPECT_THAT(load_error("[1, 2"), HasSubstr("invalid YAML"));
  EXPECT_THAT(load_error(kubeconfig("    server: https://a:1\n", "    token: t\n", "nope")),
              HasSubstr("contexts entry \"nope\" not found"));
  EXPECT_THAT(load_error(kubeconfig("    insecure-skip-tls-verify: true\n", "    token: t\n")),
              HasSubstr("cluster \"c1\": server is not set"));
  EXPECT_THAT(load_error(kubeconfig("    server: http://a:8080\n", "    token: t\n")),
              HasSubstr("must use https"));
  EXPECT_THAT(
      load_error(kubeconfig("    server: https://a:1\n    certificate-authority: nope.crt\n",
                            "    token: t\n")),
      HasSubstr("nope.crt"));
  EXPECT_THAT(load_error(kubeconfig("    server: https://a:1\n    certificate-authority-data: "
                                    "not*base64\n",
                                    "    token: t\n")),
              HasSubstr("certificate-authority-data\" is not valid base64"));
  EXPECT_THAT(load_error(kubeconfig("    server: https://a:1\n    insecure-skip-tls-verify: "
                                    "true\n    certificate-authority-data: " +
                                        base64(pki.ca_cert_pem) + "\n",
                                    "    token: t\n")),
              HasSubstr("with the insecure flag is not allowed"));
  EXPECT_THAT(load_error(kubeconfig("    server: https://a:1\n    insecure-skip-tls-verify: "
                                    "maybe\n",
                                    "    token: t\n")),
              HasSubstr("insecure-skip-tls-verify must be true or false"));
  EXPECT_THAT(load_error(kubeconfig("    server: https://a:1\n", "    exec: {command: aws}\n")),
              HasSubstr("\"exec\" credentials are not supported"));
  EXPECT_THAT(
      load_error(kubeconfig("    server: https://a:1\n", "    tokenFile: does-not-exist\n")),
      HasSubstr("does-not-exist"));
  const std::string missing = (dir.path() / "nothing-here").string();
  try {
    load_kubeconfig(missing);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_THAT(e.what(), HasSubstr(missing));
    EXPECT_THAT(e.what(), HasSubstr("No such file"));
  }
}

TEST_F(KubeconfigTest, BadPemMaterialIsRejectedAtLoad) {
  EXPECT_THAT(load_error(kubeconfig("    server: https://a:1\n    certificate-authority-data: " +
                                        base64("not a certificate") + "\n",
                                    "    token: t\n")),
              HasSubstr("certificate-authority holds no PEM certificate"));
  EXPECT_THAT(
      load_error(kubeconfig("    server: https://a:1\n",
                            "    client-certificate-data: " + base64(pki.cert_pem) +
                                "\n    client-key-data: " + base64(pki.other_key_pem) + "\n")),
      HasSubstr("client-key does not match client-certificate"));
  EXPECT_THAT(load_error(kubeconfig("    server: https://a:1\n",
                                    "    client-certificate-data: " + base64(pki.cert_pem) + "\n")),
              HasSubstr("must be given together"));
}

class InClusterTest : public ::testing::Test {
 protected:
  TempDir dir{"k8s"};
  testing::TestPki pki = testing::make_test_pki();
  InClusterEnv env() {
    InClusterEnv e;
    e.host = "10.96.0.1";
    e.port = "443";
    e.service_account_dir = dir.path() / "sa";
    return e;
  }
};

TEST_F(InClusterTest, UsesServiceAccountTokenFileAndCa) {
  dir.write("sa/token", "sa-token\n");
  dir.write("sa/ca.crt", pki.ca_cert_pem);
  const ClientConfig c = load_in_cluster(env());
  EXPECT_EQ(c.server, "https://10.96.0.1:443");
  EXPECT_EQ(c.token_file, (dir.path() / "sa/token").string());
  EXPECT_EQ(c.ca_pem, pki.ca_cert_pem);
}

TEST_F(InClusterTest, BracketsIpv6Host) {
  dir.write("sa/token", "t");
  dir.write("sa/ca.crt", pki.ca_cert_pem);
  InClusterEnv e = env();
  e.host = "fd00:10:96::1";
  EXPECT_EQ(load_in_cluster(e).server, "https://[fd00:10:96::1]:443");
}

TEST_F(InClusterTest, MissingCaFallsBackToSystemRoots) {
  dir.write("sa/token", "t");
  EXPECT_TRUE(load_in_cluster(env()).ca_pem.empty());
}

TEST_F(InClusterTest, Errors) {
  InClusterEnv e = env();
  e.host.clear();
  try {
    load_in_cluster(e);
    FAIL();
  } catch (const ConfigError& err) {
    EXPECT_THAT(err.what(), HasSubstr("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT"));
  }
  try {
    load_in_cluster(env());  // no token file
    FAIL();
  } catch (const ConfigError& err) {
    EXPECT_THAT(err.what(), HasSubstr((dir.path() / "sa/token").string()));
  }
}

TEST_F(InClusterTest, ProcessEnvironmentIsRead) {
  // The test sets what it reads; no other thread runs meanwhile.
  // NOLINTBEGIN(concurrency-mt-unsafe)
  ::setenv("KUBERNETES_SERVICE_HOST", "10.0.0.9", 1);
  ::setenv("KUBERNETES_SERVICE_PORT", "6443", 1);
  const InClusterEnv e = InClusterEnv::from_process();
  ::unsetenv("KUBERNETES_SERVICE_HOST");
  ::unsetenv("KUBERNETES_SERVICE_PORT");
  // NOLINTEND(concurrency-mt-unsafe)
  EXPECT_EQ(e.host, "10.0.0.9");
  EXPECT_EQ(e.port, "6443");
  EXPECT_EQ(e.service_account_dir, "/var/run/secrets/kubernetes.io/serviceaccount");
}

TEST_F(InClusterTest, ThreeStartupModes) {
  dir.write("sa/token", "t");
  dir.write("sa/ca.crt", pki.ca_cert_pem);
  const auto kc =
      dir.write("kc", kubeconfig("    server: https://from-file:1\n", "    token: x\n"));
  // 1. --kubeconfig, with and without --master overriding its server.
  EXPECT_EQ(build_client_config(kc.string(), "", env()).server, "https://from-file:1");
  const ClientConfig overridden = build_client_config(kc.string(), "https://master:2", env());
  EXPECT_EQ(overridden.server, "https://master:2");
  EXPECT_EQ(overridden.token, "x");
  // 2. --master alone: service account credentials, master's address.
  InClusterEnv no_env = env();
  no_env.host.clear();
  no_env.port.clear();
  const ClientConfig master_only = build_client_config("", "master.example:6443", no_env);
  EXPECT_EQ(master_only.server, "https://master.example:6443");
  EXPECT_EQ(master_only.token_file, (dir.path() / "sa/token").string());
  EXPECT_EQ(master_only.ca_pem, pki.ca_cert_pem);
  // 3. Neither: in-cluster.
  EXPECT_EQ(build_client_config("", "", env()).server, "https://10.96.0.1:443");
  EXPECT_THROW(build_client_config("", "ftp://x", env()), ConfigError);
}

}  // namespace
}  // namespace kr::k8s
