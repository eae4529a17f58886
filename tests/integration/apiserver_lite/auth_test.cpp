// Authentication and authorisation over real TLS connections.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "apiserver_lite_fixture.h"

namespace kr::testing {
namespace {

namespace json = boost::json;

json::value J(const std::string& text) { return json::parse(text); }

const std::string kPod =
    R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default"}})";

TEST(ApiServerLiteAuth, MissingOrUnknownTokenIs401) {
  ApiServerLite api;
  for (const std::string& token : {std::string(), std::string("not-a-token")}) {
    const HttpResponse r = api.request_as(token, "GET", "/api/v1/namespaces");
    EXPECT_EQ(r.status, 401) << token;
    EXPECT_EQ(J(r.body).at("reason"), "Unauthorized");
    EXPECT_EQ(J(r.body).at("kind"), "Status");
  }
  EXPECT_EQ(api.request_as("", "GET", "/version").status, 401);
}

TEST(ApiServerLiteAuth, ReadOnlyTokenCanReadButWritesGet403) {
  ApiServerLite api;
  EXPECT_EQ(api.request_as(api.readonly_token(), "GET", "/api/v1/namespaces/default/pods").status,
            200);
  const HttpResponse denied =
      api.request_as(api.readonly_token(), "POST", "/api/v1/namespaces/default/pods", kPod);
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(J(denied.body).at("reason"), "Forbidden");
  EXPECT_EQ(J(denied.body).at("message"),
            "pods is forbidden: User \"viewer\" cannot create resource \"pods\" in API group \"\" "
            "in the namespace \"default\"");
  EXPECT_EQ(api.request_as(api.readonly_token(), "DELETE", "/api/v1/namespaces/kube-public").status,
            403);
  WatchStream watch = api.watch("/api/v1/namespaces?watch=1", api.readonly_token());
  EXPECT_EQ(watch.status(), 200);
}

TEST(ApiServerLiteAuth, ClientCertificateAuthenticatesAsItsCommonName) {
  ApiServerLite api;
  const HttpResponse r =
      api.request_with_client_cert("POST", "/api/v1/namespaces/default/pods", kPod);
  EXPECT_EQ(r.status, 201) << r.body;
  std::ifstream log(api.log_file());
  const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("POST /api/v1/namespaces/default/pods 201 user=kube-router"),
            std::string::npos)
      << text;
}

TEST(ApiServerLiteAuth, CertificateFromAnotherCaIsNotAUser) {
  ApiServerLite api;
  ApiServerLite other;  // a second, unrelated PKI
  // Present `other`'s client certificate to `api`: the TLS handshake succeeds (the server CA
  // still verifies), but the certificate does not authenticate anyone.
  std::filesystem::copy_file(other.client_cert_file(), api.dir() + "/foreign.crt");
  std::filesystem::copy_file(other.client_key_file(), api.dir() + "/foreign.key");
  std::filesystem::rename(api.client_cert_file(), api.dir() + "/own.crt");
  std::filesystem::rename(api.client_key_file(), api.dir() + "/own.key");
  std::filesystem::rename(api.dir() + "/foreign.crt", api.client_cert_file());
  std::filesystem::rename(api.dir() + "/foreign.key", api.client_key_file());
  EXPECT_EQ(api.request_with_client_cert("GET", "/api/v1/namespaces").status, 401);
}

}  // namespace
}  // namespace kr::testing
