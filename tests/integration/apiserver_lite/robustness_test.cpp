// Bad input never takes the server down: after each abuse, it still answers.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "apiserver_lite_fixture.h"

namespace kr::testing {
namespace {

const std::string kPods = "/api/v1/namespaces/default/pods";

void expect_alive(const ApiServerLite& api) {
  EXPECT_EQ(api.get("/api/v1/namespaces/default").status, 200);
}

TEST(ApiServerLiteRobustness, PlainTextOnTheTlsPort) {
  ApiServerLite api;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(api.port());
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  const std::string garbage = "GET / HTTP/1.1\r\nHost: x\r\n\r\n\x16\x03\x01\xff\xff garbage";
  ASSERT_EQ(write(fd, garbage.data(), garbage.size()), static_cast<ssize_t>(garbage.size()));
  char buffer[256];
  while (read(fd, buffer, sizeof buffer) > 0) {
  }
  close(fd);
  expect_alive(api);
}

TEST(ApiServerLiteRobustness, MalformedBodies) {
  ApiServerLite api;
  EXPECT_EQ(api.request("POST", kPods, "{\"metadata\":").status, 400);
  EXPECT_EQ(api.request("POST", kPods, "[1,2,3]").status, 400);
  EXPECT_EQ(api.request("POST", kPods, std::string(100000, '[') + std::string(100000, ']')).status,
            400);
  EXPECT_EQ(api.request("POST", kPods, R"({"metadata":{"name":"x","labels":{"a":1}}})").status,
            400);
  EXPECT_EQ(api.request("POST", kPods, R"({"metadata":"x"})").status, 400);
  EXPECT_EQ(api.request("PATCH", kPods + "/x", "{}", "text/plain").status, 415);
  EXPECT_EQ(api.request("GET", "/api/v1/pods?limit=abc").status, 400);
  EXPECT_EQ(api.request("GET", "/api/v1/pods?watch=maybe").status, 400);
  EXPECT_EQ(api.request("GET", "/api/v1/pods?continue=%ff%fe").status, 400);
  expect_alive(api);
}

TEST(ApiServerLiteRobustness, OversizedBodyIs413) {
  ApiServerLite api;
  const HttpResponse r = api.request(
      "POST", kPods, R"({"a":")" + std::string(std::size_t{4} * 1024 * 1024, 'x') + R"("})");
  EXPECT_EQ(r.status, 413);
  expect_alive(api);
}

}  // namespace
}  // namespace kr::testing
