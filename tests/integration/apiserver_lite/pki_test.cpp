// tools/pki/make-pki.sh: what it issues, checked with the openssl CLI.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "process_util.h"

#ifndef KR_MAKE_PKI_SCRIPT
#error "KR_MAKE_PKI_SCRIPT must be defined by CMake"
#endif

namespace kr::testing {
namespace {

class PkiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/kr-pki-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  CommandResult x509(const std::string& file, const std::string& what) {
    return run_command({"openssl", "x509", "-in", dir_ + "/" + file, "-noout", what});
  }

  std::string dir_;
};

TEST_F(PkiTest, IssuesServerAndClientCertificatesFromOneCa) {
  const CommandResult made =
      run_command({"bash", KR_MAKE_PKI_SCRIPT, dir_, "10.99.0.1", "fd00::5"});
  ASSERT_EQ(made.exit_code, 0) << made.output;
  const CommandResult san = x509("server.crt", "-ext=subjectAltName");
  EXPECT_NE(san.output.find("DNS:localhost"), std::string::npos) << san.output;
  EXPECT_NE(san.output.find("IP Address:127.0.0.1"), std::string::npos) << san.output;
  EXPECT_NE(san.output.find("IP Address:0:0:0:0:0:0:0:1"), std::string::npos) << san.output;
  EXPECT_NE(san.output.find("IP Address:10.99.0.1"), std::string::npos) << san.output;
  EXPECT_NE(san.output.find("IP Address:FD00:0:0:0:0:0:0:5"), std::string::npos) << san.output;

  const CommandResult subject = x509("client.crt", "-subject");
  EXPECT_NE(subject.output.find("O = system:nodes"), std::string::npos) << subject.output;
  EXPECT_NE(subject.output.find("CN = kube-router"), std::string::npos) << subject.output;
  for (const char* cert : {"server.crt", "client.crt"}) {
    const CommandResult verify =
        run_command({"openssl", "verify", "-CAfile", dir_ + "/ca.crt", dir_ + "/" + cert});
    EXPECT_EQ(verify.exit_code, 0) << cert << ": " << verify.output;
  }
  const auto key_permissions = std::filesystem::status(dir_ + "/ca.key").permissions();
  EXPECT_EQ(key_permissions & std::filesystem::perms::others_read, std::filesystem::perms::none);
}

TEST_F(PkiTest, RejectsSomethingThatIsNotAnIpAsSan) {
  const CommandResult made = run_command({"bash", KR_MAKE_PKI_SCRIPT, dir_, "evil,DNS:x"});
  EXPECT_NE(made.exit_code, 0);
  EXPECT_NE(made.output.find("is not an IP address"), std::string::npos) << made.output;
}

}  // namespace
}  // namespace kr::testing
