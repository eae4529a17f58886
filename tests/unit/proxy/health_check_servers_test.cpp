// The NodePort health-check servers (proxy.md §11), over real HTTP on 127.0.0.1.
#include "controllers/proxy/health_check_servers.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <optional>
#include <string>
#include <thread>

#include "support/ports.h"

namespace kr::proxy {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// One HTTP/1.0 GET; nullopt when nothing listens on the port.
std::optional<std::string> http_get(int port, const std::string& path) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return std::nullopt;
  }
  const std::string request = "GET " + path + " HTTP/1.0\r\nHost: x\r\n\r\n";
  (void)!::write(fd, request.data(), request.size());
  std::string response;
  char buffer[1024];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof(buffer))) > 0) response.append(buffer, n);
  ::close(fd);
  return response;
}

struct HealthCheckServersTest : ::testing::Test {
  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
  std::thread thread{[this] { io.run(); }};
  ~HealthCheckServersTest() override {
    work.reset();
    io.stop();
    thread.join();
  }
};

TEST(HealthCheckAnswer, CountsOrUnavailable) {
  const auto ok = HealthCheckServers::answer(2);
  EXPECT_EQ(ok.status, 200u);
  EXPECT_EQ(ok.body, "2 Service Endpoints found\n");
  const auto none = HealthCheckServers::answer(0);
  EXPECT_EQ(none.status, 503u);
  EXPECT_EQ(none.body, "No Service Endpoints Found\n");
}

TEST_F(HealthCheckServersTest, ServesFollowsCountsAndStops) {
  const int port = test::free_tcp_port();
  HealthCheckServers servers(io, "127.0.0.1");
  servers.update({{static_cast<std::uint16_t>(port), 1}});
  auto response = http_get(port, "/healthz");
  ASSERT_TRUE(response);
  EXPECT_THAT(*response, StartsWith("HTTP/1.0 200"));
  EXPECT_THAT(*response, HasSubstr("\r\n\r\n1 Service Endpoints found\n"));

  servers.update({{static_cast<std::uint16_t>(port), 0}});
  response = http_get(port, "/healthz");
  ASSERT_TRUE(response);
  EXPECT_THAT(*response, StartsWith("HTTP/1.0 503"));
  EXPECT_THAT(*response, HasSubstr("No Service Endpoints Found\n"));

  servers.update({});
  EXPECT_FALSE(test::tcp_port_open("127.0.0.1", port));
}

}  // namespace
}  // namespace kr::proxy
