// The /_lite/ fault-injection endpoints.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <chrono>

#include "apiserver_lite_fixture.h"

namespace kr::testing {
namespace {

namespace json = boost::json;

json::value J(const std::string& text) { return json::parse(text); }

TEST(ApiServerLiteFaults, FailNextAnswersTheGivenStatusExactlyNTimes) {
  ApiServerLite api;
  api.fail_next(503, 2);
  for (int i = 0; i < 2; ++i) {
    const HttpResponse r = api.get("/api/v1/namespaces");
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(J(r.body).at("reason"), "ServiceUnavailable");
  }
  EXPECT_EQ(api.get("/api/v1/namespaces").status, 200);
}

TEST(ApiServerLiteFaults, TooManyRequestsCarriesRetryAfter) {
  ApiServerLite api;
  api.fail_next(429, 1);
  const HttpResponse r = api.get("/apis");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.headers.at("retry-after"), "1");
  EXPECT_EQ(J(r.body).at("details").at("retryAfterSeconds"), 1);
}

TEST(ApiServerLiteFaults, FailuresAlsoHitWatches) {
  ApiServerLite api;
  api.fail_next(500, 1);
  WatchStream watch = api.watch("/api/v1/pods?watch=1");
  EXPECT_EQ(watch.status(), 500);
  EXPECT_EQ(J(watch.error_body()).at("reason"), "InternalError");
}

TEST(ApiServerLiteFaults, DelayHoldsTheNextRequestsBack) {
  ApiServerLite api;
  api.delay_next(300, 1);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(api.get("/api/v1/namespaces").status, 200);
  // A lower bound only: the answer cannot come before the delay has passed.
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(300));
}

TEST(ApiServerLiteFaults, ResourceVersionEndpointAndValidation) {
  ApiServerLite api;
  const uint64_t before = api.resource_version();
  ASSERT_EQ(api.create(R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x"}})").status,
            201);
  EXPECT_EQ(api.resource_version(), before + 1);
  EXPECT_EQ(api.request("POST", "/_lite/fail?status=200").status, 400);
  EXPECT_EQ(api.request("GET", "/_lite/compact").status, 405);
  EXPECT_EQ(api.request_as(api.readonly_token(), "POST", "/_lite/compact").status, 403);
  EXPECT_EQ(api.request_as("", "GET", "/_lite/rv").status, 401);
}

TEST(ApiServerLiteFaults, DisabledWithoutTheFlag) {
  ApiServerLiteOptions options;
  options.enable_faults = false;
  ApiServerLite api(options);
  EXPECT_EQ(api.request("POST", "/_lite/compact").status, 404);
  EXPECT_EQ(api.request("GET", "/_lite/rv").status, 200);
}

}  // namespace
}  // namespace kr::testing
