#include "auth.h"

#include <gtest/gtest.h>

namespace kr::apiserver_lite {
namespace {

TEST(TokenFile, ParsesKubeApiserverCsv) {
  Authenticator auth;
  auth.load_tokens("t1,alice,uid-1,\"system:masters,devs\"\n\nt2,bob,uid-2\r\n", "test");
  const auto alice = auth.authenticate_bearer("Bearer t1");
  ASSERT_TRUE(alice.has_value());
  EXPECT_EQ(alice->name, "alice");
  EXPECT_EQ(alice->uid, "uid-1");
  EXPECT_EQ(alice->groups, (std::vector<std::string>{"system:masters", "devs"}));
  EXPECT_EQ(auth.authenticate_bearer("bearer  t2 ")->name, "bob");
  EXPECT_EQ(auth.token_count(), 2u);
}

TEST(TokenFile, RejectsShortRecordsAndUnterminatedQuotes) {
  Authenticator auth;
  try {
    auth.load_tokens("t1,alice\n", "token file 'x'");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("token file 'x' must have at least 3 columns"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(auth.load_tokens("t1,alice,1,\"open\n", "x"), std::runtime_error);
  EXPECT_THROW(auth.load_token_file("/nonexistent/tokens.csv"), std::runtime_error);
}

TEST(TokenFile, OnlyBearerWithAKnownTokenAuthenticates) {
  Authenticator auth;
  auth.load_tokens("secret,alice,1\n", "x");
  EXPECT_FALSE(auth.authenticate_bearer("").has_value());
  EXPECT_FALSE(auth.authenticate_bearer("Bearer").has_value());
  EXPECT_FALSE(auth.authenticate_bearer("Bearer ").has_value());
  EXPECT_FALSE(auth.authenticate_bearer("Basic secret").has_value());
  EXPECT_FALSE(auth.authenticate_bearer("Bearer other").has_value());
}

TEST(TokenFile, ReadOnlyUsersByName) {
  Authenticator auth;
  auth.add_readonly_user("viewer");
  EXPECT_TRUE(auth.read_only(UserInfo{"viewer", "", {}}));
  EXPECT_FALSE(auth.read_only(UserInfo{"admin", "", {}}));
}

TEST(Csv, QuotedFieldsWithEscapedQuotesAndCommas) {
  const auto records = parse_csv("a,\"b,\"\"c\"\"\",d\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0], (std::vector<std::string>{"a", "b,\"c\"", "d"}));
}

}  // namespace
}  // namespace kr::apiserver_lite
