// The admin socket and `kube-router bgp` against a running speaker (one
// event loop thread, a unix socket in a temp dir): what an operator sees.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <filesystem>
#include <future>
#include <sstream>
#include <thread>

#include "bgp/admin/admin_client.h"
#include "bgp/admin/admin_server.h"
#include "bgp/admin/cli.h"
#include "bgp/speaker/speaker.h"

namespace kr::bgp::admin {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

IpAddress ip(const char* t) { return IpAddress::parse(t).value(); }

class AdminCli : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/krt-bgp-admin-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    socket_ = dir_ + "/run/bgp.sock";
    speaker::SpeakerConfig c;
    c.asn = 64512;
    c.router_id = ip("10.0.0.1").v4_u32();
    speaker_ = std::make_unique<speaker::Speaker>(io_, c);
    server_ = std::make_unique<AdminServer>(io_, *speaker_, socket_);
    ASSERT_EQ(speaker_->start(), "");
    ASSERT_EQ(server_->start(), "");
    speaker::PeerConfig p;
    p.address = ip("10.0.0.2");
    p.asn = 65000;
    p.passive = true;  // nothing listens there: stay quiet
    ASSERT_EQ(speaker_->add_peer(p), "");
    speaker_->originate(IpPrefix::parse("10.244.0.0/24").value(), ip("10.0.0.1"),
                        {(64512u << 16) | 5});
    speaker_->originate(IpPrefix::parse("2001:db8:42::/64").value(), ip("2001:db8::1"));
    thread_ = std::thread([this] {
      auto work = boost::asio::make_work_guard(io_);
      io_.run();
    });
  }
  void TearDown() override {
    if (thread_.joinable()) {
      std::promise<void> done;
      boost::asio::post(io_, [&] {
        server_.reset();
        speaker_.reset();
        done.set_value();
      });
      done.get_future().wait();
      io_.stop();
      thread_.join();
    }
    std::filesystem::remove_all(dir_);
  }

  int cli(std::vector<const char*> args, std::string& out, std::string& err) {
    args.insert(args.begin(), {"--socket", socket_.c_str()});
    std::ostringstream o;
    std::ostringstream e;
    const int rc = run_bgp_cli(std::span<const char* const>(args.data(), args.size()), o, e);
    out = o.str();
    err = e.str();
    return rc;
  }

  std::string dir_;
  std::string socket_;
  boost::asio::io_context io_;
  std::unique_ptr<speaker::Speaker> speaker_;
  std::unique_ptr<AdminServer> server_;
  std::thread thread_;
};

TEST_F(AdminCli, NeighborsTableShowsEachPeerWithItsState) {
  std::string out;
  std::string err;
  ASSERT_EQ(cli({"neighbors"}, out, err), 0) << err;
  EXPECT_THAT(out, HasSubstr("Peer"));
  EXPECT_THAT(out, HasSubstr("#Received"));
  EXPECT_THAT(out, HasSubstr("10.0.0.2"));
  EXPECT_THAT(out, HasSubstr("65000"));
  EXPECT_THAT(out, HasSubstr("Active"));
  EXPECT_THAT(out, HasSubstr("never"));
}

TEST_F(AdminCli, RibTableShowsOriginatedPathsPerFamily) {
  std::string out;
  std::string err;
  ASSERT_EQ(cli({"rib"}, out, err), 0) << err;
  EXPECT_THAT(out, HasSubstr("*> 10.244.0.0/24"));
  EXPECT_THAT(out, HasSubstr("{Communities: 64512:5}"));
  EXPECT_THAT(out, Not(HasSubstr("2001:db8:42::/64")));
  ASSERT_EQ(cli({"rib", "-a", "ipv6"}, out, err), 0) << err;
  EXPECT_THAT(out, HasSubstr("2001:db8:42::/64"));
  EXPECT_THAT(out, HasSubstr("2001:db8::1"));
}

TEST_F(AdminCli, SummaryCountsDestinations) {
  std::string out;
  std::string err;
  ASSERT_EQ(cli({"rib", "summary"}, out, err), 0) << err;
  EXPECT_THAT(out, HasSubstr("Table ipv4-unicast\nDestination: 1"));
  EXPECT_THAT(out, HasSubstr("Table ipv6-unicast\nDestination: 1"));
}

TEST_F(AdminCli, JsonOutputIsTheSpeakersAnswer) {
  std::string out;
  std::string err;
  ASSERT_EQ(cli({"--json", "neighbors"}, out, err), 0) << err;
  EXPECT_THAT(out, HasSubstr("\"address\":\"10.0.0.2\""));
  EXPECT_THAT(out, HasSubstr("\"state\":\"active\""));
  ASSERT_EQ(cli({"rib", "-j"}, out, err), 0) << err;
  EXPECT_THAT(out, HasSubstr("\"prefix\":\"10.244.0.0/24\""));
  EXPECT_THAT(out, HasSubstr("\"communities\":[\"64512:5\"]"));
}

TEST_F(AdminCli, UsageErrorsExitTwo) {
  std::string out;
  std::string err;
  EXPECT_EQ(cli({}, out, err), 2);
  EXPECT_THAT(err, HasSubstr("missing command"));
  EXPECT_EQ(cli({"frobnicate"}, out, err), 2);
  EXPECT_EQ(cli({"rib", "-a", "ipx"}, out, err), 2);
  EXPECT_THAT(err, HasSubstr("unknown address family"));
  EXPECT_EQ(cli({"--bogus", "rib"}, out, err), 2);
}

TEST_F(AdminCli, HelpAndUsageEndWithANewline) {
  for (const char* flag : {"--help", "-h", "help"}) {
    std::string out;
    std::string err;
    EXPECT_EQ(cli({flag}, out, err), 0) << flag;
    EXPECT_THAT(out, HasSubstr("Usage: kube-router bgp")) << flag;
    ASSERT_FALSE(out.empty()) << flag;
    EXPECT_EQ(out.back(), '\n') << flag;
    EXPECT_EQ(err, "") << flag;
  }
  std::string out;
  std::string err;
  ASSERT_EQ(cli({"frobnicate"}, out, err), 2);
  ASSERT_FALSE(err.empty());
  EXPECT_EQ(err.back(), '\n');
}

TEST_F(AdminCli, UnreachableSpeakerExitsOneWithThePath) {
  std::vector<const char*> args{"--socket", "/nonexistent/bgp.sock", "neighbors"};
  std::ostringstream o;
  std::ostringstream e;
  EXPECT_EQ(run_bgp_cli(std::span<const char* const>(args.data(), args.size()), o, e), 1);
  EXPECT_THAT(e.str(), HasSubstr("cannot reach the BGP speaker at /nonexistent/bgp.sock"));
}

TEST_F(AdminCli, MalformedRequestsGetAnErrorNotACrash) {
  EXPECT_THAT(admin_request(socket_, "not json").body, HasSubstr("\"error\""));
  EXPECT_THAT(admin_request(socket_, R"({"command":"reboot"})").body, HasSubstr("unknown command"));
  EXPECT_THAT(admin_request(socket_, R"({"command":"rib","family":"l2vpn"})").body,
              HasSubstr("unknown address family"));
  // Still serving afterwards.
  EXPECT_THAT(admin_request(socket_, R"({"command":"summary"})").body, HasSubstr("families"));
}

TEST_F(AdminCli, SocketIsOwnerOnly) {
  const auto perms = std::filesystem::status(socket_).permissions();
  EXPECT_EQ(perms & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

}  // namespace
}  // namespace kr::bgp::admin
