// parse_command_line: what a user running kube-router sees for each kind of
// command line, and the exit status main() gets.
#include "options/command_line.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

namespace kr::options {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const BuildInfo kBuild{"v2.11.0-cpp", "2026-01-02T03:04:05+0000", "GCC 12.2.0"};

struct Outcome {
  ParseOutcome outcome;
  std::string err;

  [[nodiscard]] bool continues() const { return std::holds_alternative<Config>(outcome); }
  [[nodiscard]] const Config& config() const { return std::get<Config>(outcome); }
  [[nodiscard]] int exit_code() const { return std::get<ExitRequest>(outcome).code; }
};

Outcome run(std::vector<const char*> argv) {
  std::ostringstream err;
  ParseOutcome outcome = parse_command_line(argv, kBuild, err);
  return {std::move(outcome), err.str()};
}

std::string usage_table() {
  Outcome help = run({"kube-router", "-h"});
  return help.err;
}

TEST(CommandLine, NoArgumentsRunsWithDefaults) {
  const Outcome r = run({"kube-router"});
  ASSERT_TRUE(r.continues());
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.config().log_verbosity, 0);
  EXPECT_TRUE(r.config().run_router);
}

TEST(CommandLine, FlagsReachTheConfig) {
  const Outcome r = run({"kube-router", "--run-router=false", "--master", "https://10.0.0.1:6443",
                         "-v", "3", "--peer-router-ips=10.0.0.2,10.0.0.3"});
  ASSERT_TRUE(r.continues()) << r.err;
  EXPECT_FALSE(r.config().run_router);
  EXPECT_EQ(r.config().master, "https://10.0.0.1:6443");
  EXPECT_EQ(r.config().log_verbosity, 3);
  EXPECT_EQ(r.config().peer_router_ips.size(), 2u);
}

TEST(CommandLine, EveryVerbosityFormIsAccepted) {
  for (const std::vector<const char*>& argv : {std::vector<const char*>{"kube-router", "-v", "2"},
                                               {"kube-router", "-v=2"},
                                               {"kube-router", "-v2"},
                                               {"kube-router", "--v=2"},
                                               {"kube-router", "--v", "2"}}) {
    const Outcome r = run(argv);
    ASSERT_TRUE(r.continues()) << r.err;
    EXPECT_EQ(r.config().log_verbosity, 2);
  }
  EXPECT_EQ(run({"kube-router", "-v=-1"}).config().log_verbosity, -1);
}

TEST(CommandLine, ParseErrorPrintsTheErrorAndUsageAndExits2) {
  const Outcome r = run({"kube-router", "--foo"});
  ASSERT_FALSE(r.continues());
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.err, "unknown flag: --foo\n" + usage_table());
}

TEST(CommandLine, BadValuesNameTheFlag) {
  const Outcome port = run({"kube-router", "--health-port=abc"});
  EXPECT_EQ(port.exit_code(), 2);
  EXPECT_THAT(port.err, StartsWith("invalid argument \"abc\" for \"--health-port\" flag: "
                                   "strconv.ParseUint: parsing \"abc\": invalid syntax\n"
                                   "Usage of kube-router:\n"));
  const Outcome big = run({"kube-router", "--health-port=65536"});
  EXPECT_EQ(big.exit_code(), 2);
  EXPECT_THAT(big.err, StartsWith("invalid argument \"65536\" for \"--health-port\" flag: "
                                  "strconv.ParseUint: parsing \"65536\": value out of range\n"));
  const Outcome duration = run({"kube-router", "--ipvs-sync-period=5"});
  EXPECT_EQ(duration.exit_code(), 2);
  EXPECT_THAT(duration.err, StartsWith("invalid argument \"5\" for \"--ipvs-sync-period\" flag: "
                                       "time: missing unit in duration \"5\"\n"));
  const Outcome help = run({"kube-router", "--help=yes"});
  EXPECT_EQ(help.exit_code(), 2);
  EXPECT_THAT(help.err, StartsWith("invalid argument \"yes\" for \"-h, --help\" flag: "));
}

TEST(CommandLine, MissingValueAndUnknownShorthandExit2) {
  const Outcome missing = run({"kube-router", "--master"});
  EXPECT_EQ(missing.exit_code(), 2);
  EXPECT_THAT(missing.err, StartsWith("flag needs an argument: --master\nUsage of kube-router:\n"));
  const Outcome shorthand = run({"kube-router", "-x"});
  EXPECT_EQ(shorthand.exit_code(), 2);
  EXPECT_THAT(shorthand.err, StartsWith("unknown shorthand flag: 'x' in -x\n"));
}

TEST(CommandLine, NonIntegerVerbosityExits1) {
  const Outcome r = run({"kube-router", "-v", "abc"});
  ASSERT_FALSE(r.continues());
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.err,
            "failed to set log level to abc: strconv.ParseInt: parsing \"abc\": invalid syntax\n");
  EXPECT_EQ(run({"kube-router", "-v", "99999999999"}).exit_code(), 1);
}

TEST(CommandLine, PositionalArgumentsExit1) {
  const Outcome r = run({"kube-router", "a", "--run-router=false", "b"});
  ASSERT_FALSE(r.continues());
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.err, "unrecognized positional argument(s): [a b]\n");
}

TEST(CommandLine, SpaceSeparatedBoolValueIsAPositionalArgument) {
  const Outcome r = run({"kube-router", "--run-router", "false"});
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.err, "unrecognized positional argument(s): [false]\n");
}

TEST(CommandLine, EverythingAfterDoubleDashIsPositional) {
  const Outcome r = run({"kube-router", "--", "--run-router=false"});
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.err, "unrecognized positional argument(s): [--run-router=false]\n");
}

TEST(CommandLine, HelpPrintsUsageAndExits0) {
  for (const char* flag : {"-h", "--help", "--help=true"}) {
    const Outcome r = run({"kube-router", flag});
    ASSERT_FALSE(r.continues());
    EXPECT_EQ(r.exit_code(), 0);
    EXPECT_THAT(r.err, StartsWith("Usage of kube-router:\n"));
    EXPECT_THAT(r.err, HasSubstr("  -V, --version                                       "
                                 "Print version information.\n"));
  }
  EXPECT_TRUE(run({"kube-router", "--help=false"}).continues());
}

TEST(CommandLine, VersionPrintsTheBuildAndExits0) {
  const Outcome r = run({"kube-router", "-V"});
  ASSERT_FALSE(r.continues());
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.err,
            "Running kube-router version v2.11.0-cpp, built on 2026-01-02T03:04:05+0000, "
            "GCC 12.2.0\n");
}

TEST(CommandLine, MessagesNameTheProgramAsInvoked) {
  EXPECT_THAT(run({"/usr/local/bin/kube-router", "--version"}).err,
              StartsWith("Running /usr/local/bin/kube-router version "));
  EXPECT_THAT(run({"/usr/local/bin/kube-router", "-h"}).err,
              StartsWith("Usage of /usr/local/bin/kube-router:\n"));
  EXPECT_THAT(run({}).err, "");  // no argv at all still parses
}

TEST(CommandLine, ChecksRunInUpstreamOrder) {
  // Parse errors first, then the log level, then positionals, then help
  // before version.
  EXPECT_EQ(run({"kube-router", "-h", "--foo"}).exit_code(), 2);
  const Outcome level = run({"kube-router", "-v", "x", "-h", "extra"});
  EXPECT_EQ(level.exit_code(), 1);
  EXPECT_THAT(level.err, StartsWith("failed to set log level"));
  const Outcome positional = run({"kube-router", "-h", "extra"});
  EXPECT_EQ(positional.exit_code(), 1);
  EXPECT_THAT(positional.err, StartsWith("unrecognized positional argument(s)"));
  const Outcome both = run({"kube-router", "--version", "--help"});
  EXPECT_EQ(both.exit_code(), 0);
  EXPECT_THAT(both.err, StartsWith("Usage of kube-router:\n"));
}

}  // namespace
}  // namespace kr::options
