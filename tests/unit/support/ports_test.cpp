#include "support/ports.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <system_error>
#include <thread>

#include "support/temp_dir.h"

namespace kr::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// A listening TCP socket on 127.0.0.1:port, closed on destruction.
class Listener {
 public:
  explicit Listener(int port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bound_ = bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 && listen(fd_, 4) == 0;
  }
  ~Listener() { close(fd_); }
  bool ok() const { return bound_; }

 private:
  int fd_;
  bool bound_ = false;
};

TEST(FreePort, ReturnsAPortThatCanBeBound) {
  const int port = free_tcp_port();
  ASSERT_GT(port, 0);
  ASSERT_LE(port, 65535);
  Listener listener(port);
  EXPECT_TRUE(listener.ok());
  EXPECT_TRUE(tcp_port_open("127.0.0.1", port));
}

TEST(FreePort, UdpAndIpv6Work) {
  EXPECT_GT(free_udp_port(), 0);
  EXPECT_GT(free_tcp_port("::1"), 0);
}

TEST(FreePort, RejectsNonNumericAddress) {
  EXPECT_THROW(free_tcp_port("localhost"), std::system_error);
}

TEST(TcpPortOpen, FalseWhenNothingListens) {
  EXPECT_FALSE(tcp_port_open("127.0.0.1", free_tcp_port()));
}

TEST(ParsePort, AcceptsPortsWithTrailingNewline) {
  EXPECT_EQ(parse_port("6443\n"), 6443);
  EXPECT_EQ(parse_port("1"), 1);
  EXPECT_EQ(parse_port("65535 \r\n"), 65535);
}

TEST(ParsePort, ReadsTheFirstLineOnly) {
  EXPECT_EQ(parse_port("41234\nlisten 127.0.0.1:41234\nlisten-netns sw 10.0.0.1:6443\n"), 41234);
  EXPECT_FALSE(parse_port("\n41234\n"));
}

TEST(ParsePort, RejectsEverythingElse) {
  EXPECT_FALSE(parse_port(""));
  EXPECT_FALSE(parse_port("\n"));
  EXPECT_FALSE(parse_port("0"));
  EXPECT_FALSE(parse_port("65536"));
  EXPECT_FALSE(parse_port("-5"));
  EXPECT_FALSE(parse_port("12ab"));
  EXPECT_FALSE(parse_port("127.0.0.1:80"));
}

TEST(WaitForPortFile, ReturnsPortWrittenLater) {
  TempDir dir;
  const auto file = dir.file("port");
  std::thread writer([&] {
    std::this_thread::sleep_for(milliseconds(50));
    write_file(file, "31337\n");
  });
  EXPECT_EQ(wait_for_port_file(file, seconds(10)), 31337);
  writer.join();
}

TEST(WaitForPortFile, GivesUpOnGarbage) {
  TempDir dir;
  const auto file = dir.write("port", "not a port");
  EXPECT_FALSE(wait_for_port_file(file, milliseconds(50)).has_value());
  EXPECT_FALSE(wait_for_port_file(dir.file("missing"), milliseconds(50)).has_value());
}

}  // namespace
}  // namespace kr::test
