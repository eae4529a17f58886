// --listen-netns: the server accepts connections inside a network namespace it is not in.
// Needs root (ip netns); skipped otherwise.
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "apiserver_lite_fixture.h"
#include "process_util.h"

namespace kr::testing {
namespace {

// A namespace of our own, always removed.
class ScopedNetns {
 public:
  ScopedNetns() : name_("kr-apilite-" + std::to_string(getpid())) {
    ok_ = run_command({"ip", "netns", "add", name_}).exit_code == 0 &&
          run_command({"ip", "-n", name_, "link", "set", "lo", "up"}).exit_code == 0;
  }
  ~ScopedNetns() { run_command({"ip", "netns", "delete", name_}); }
  const std::string& name() const { return name_; }
  bool ok() const { return ok_; }

 private:
  std::string name_;
  bool ok_ = false;
};

TEST(ApiServerLiteNetns, ServesInsideTheNamedNamespace) {
  if (geteuid() != 0 || !in_path("ip") || !in_path("curl")) {
    GTEST_SKIP() << "needs root, ip and curl";
  }
  ScopedNetns netns;
  ASSERT_TRUE(netns.ok());
  ApiServerLiteOptions options;
  options.extra_args = {"--listen-netns=" + netns.name() + ":127.0.0.1:0"};
  ApiServerLite api(options);

  // The port file has a line "listen-netns NAME 127.0.0.1:PORT" for the namespace listener.
  const std::string ports = api.port_file_contents();
  const std::string prefix = "listen-netns " + netns.name() + " 127.0.0.1:";
  const size_t at = ports.find(prefix);
  ASSERT_NE(at, std::string::npos) << ports;
  const size_t start = at + prefix.size();
  const std::string port = ports.substr(start, ports.find('\n', start) - start);
  ASSERT_FALSE(port.empty()) << ports;
  const std::string url = "https://127.0.0.1:" + port + "/api/v1/namespaces/default";
  const CommandResult inside =
      run_command({"ip", "netns", "exec", netns.name(), "curl", "-sS", "--max-time", "20",
                   "--cacert", api.ca_file(), "-H", "Authorization: Bearer " + api.token(), url});
  EXPECT_EQ(inside.exit_code, 0) << inside.output;
  EXPECT_NE(inside.output.find(R"("name":"default")"), std::string::npos) << inside.output;
  // The host listener keeps working alongside.
  EXPECT_EQ(api.get("/api/v1/namespaces/default").status, 200);
}

TEST(ApiServerLiteNetns, MissingNamespaceFailsStartupWithAClearError) {
  ApiServerLiteOptions options;
  options.extra_args = {"--listen-netns=kr-apilite-missing-" + std::to_string(getpid()) +
                        ":127.0.0.1:0"};
  try {
    ApiServerLite api(options);
    FAIL() << "the server started without its namespace";
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("--listen-netns kr-apilite-missing-"), std::string::npos) << message;
    EXPECT_NE(message.find("No such file or directory"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace kr::testing
