#include "options.h"

#include <gtest/gtest.h>

namespace kr::apiserver_lite {
namespace {

Options parse(std::vector<const char*> args) {
  args.insert(args.begin(), "apiserver-lite");
  return parse_options(static_cast<int>(args.size()), args.data());
}

TEST(Options, RequiresTlsAndDefaultsTheListener) {
  EXPECT_THROW(parse({}), OptionsError);
  const Options options = parse({"--tls-cert-file=c", "--tls-private-key-file", "k"});
  ASSERT_EQ(options.listen.size(), 1u);
  EXPECT_EQ(options.listen[0].address, "127.0.0.1");
  EXPECT_EQ(options.listen[0].port, 6443);
  EXPECT_EQ(options.bookmark_interval, std::chrono::seconds(60));
}

TEST(Options, ListenersKeepHostOnesFirst) {
  const Options options =
      parse({"--tls-cert-file=c", "--tls-private-key-file=k", "--listen-netns=sw:10.0.0.1:6443",
             "--listen", "[::1]:0", "--listen=0.0.0.0:8443"});
  ASSERT_EQ(options.listen.size(), 3u);
  EXPECT_EQ(options.listen[0].address, "::1");
  EXPECT_EQ(options.listen[1].port, 8443);
  EXPECT_EQ(options.listen[2].netns, "sw");
  EXPECT_EQ(options.listen[2].address, "10.0.0.1");
}

TEST(Options, RejectsBadValuesNamingTheFlag) {
  const std::vector<std::vector<const char*>> bad = {
      {"--listen=localhost:80"},
      {"--listen=127.0.0.1:99999"},
      {"--listen-netns=:1.2.3.4:5"},
      {"--bookmark-interval=5"},
      {"--bookmark-interval=0s"},
      {"--history-window=0"},
      {"--service-node-port-range=9"},
      {"--unknown=1"},
      {"--listen"},
      {"stray"},
  };
  for (auto args : bad) {
    const std::string first = args.front();
    args.push_back("--tls-cert-file=c");
    args.push_back("--tls-private-key-file=k");
    try {
      parse(args);
      ADD_FAILURE() << first << " was accepted";
    } catch (const OptionsError& e) {
      const std::string flag = first.substr(0, first.find('='));
      if (flag.starts_with("--")) {
        EXPECT_NE(std::string(e.what()).find(flag), std::string::npos) << e.what();
      }
    }
  }
}

TEST(Options, Durations) {
  EXPECT_EQ(parse_duration("1s"), std::chrono::seconds(1));
  EXPECT_EQ(parse_duration("250ms"), std::chrono::milliseconds(250));
  EXPECT_EQ(parse_duration("1m30s"), std::chrono::seconds(90));
  EXPECT_EQ(parse_duration("2h"), std::chrono::hours(2));
  EXPECT_THROW(parse_duration("1d"), OptionsError);
  EXPECT_THROW(parse_duration("s"), OptionsError);
}

TEST(Options, VerbosityAndRepeatableFlags) {
  const Options options = parse({"--tls-cert-file=c", "--tls-private-key-file=k", "-v=3",
                                 "--readonly-user=a", "--readonly-user", "b", "--enable-faults"});
  EXPECT_EQ(options.verbosity, 3);
  EXPECT_EQ(options.readonly_users, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(options.enable_faults);
  EXPECT_EQ(parse({"--tls-cert-file=c", "--tls-private-key-file=k", "-v2"}).verbosity, 2);
}

}  // namespace
}  // namespace kr::apiserver_lite
