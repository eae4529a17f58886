#include "continue_token.h"

#include <gtest/gtest.h>

#include "base64.h"

namespace kr::apiserver_lite {
namespace {

TEST(ContinueToken, RoundTripsRevisionAndStartKey) {
  const std::string text = encode_continue({42, std::string("default/web\0", 12)});
  const ContinueToken token = decode_continue(text);
  EXPECT_EQ(token.resource_version, 42);
  EXPECT_EQ(token.start_key, std::string("default/web\0", 12));
}

TEST(ContinueToken, HasKubeApiserverShape) {
  // Unpadded URL-safe base64 of {"v":"meta.k8s.io/v1","rv":7,"start":"a\u0000"}.
  const std::string text = encode_continue({7, std::string("a\0", 2)});
  EXPECT_EQ(text.find('='), std::string::npos);
  EXPECT_EQ(base64url_raw_decode(text).value(),
            R"({"v":"meta.k8s.io/v1","rv":7,"start":"a\u0000"})");
}

TEST(ContinueToken, InconsistentTokenUsesMinusOne) {
  EXPECT_EQ(decode_continue(encode_continue({-1, "x"})).resource_version, -1);
}

TEST(ContinueToken, RejectsForeignOrDamagedTokens) {
  EXPECT_THROW(decode_continue("not base64!"), ContinueTokenError);
  EXPECT_THROW(decode_continue(base64url_raw_encode("[]")), ContinueTokenError);
  EXPECT_THROW(decode_continue(base64url_raw_encode(R"({"v":"x","rv":1,"start":"a"})")),
               ContinueTokenError);
  EXPECT_THROW(
      decode_continue(base64url_raw_encode(R"({"v":"meta.k8s.io/v1","rv":0,"start":"a"})")),
      ContinueTokenError);
  EXPECT_THROW(decode_continue(base64url_raw_encode(R"({"v":"meta.k8s.io/v1","rv":3,"start":""})")),
               ContinueTokenError);
}

TEST(Base64, EncodesRfc4648Vectors) {
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64url_raw_encode("\xfb\xff"), "-_8");
  EXPECT_EQ(base64url_raw_decode("-_8").value(), "\xfb\xff");
  EXPECT_FALSE(base64url_raw_decode("-_9").has_value());  // non-zero trailing bits
}

}  // namespace
}  // namespace kr::apiserver_lite
