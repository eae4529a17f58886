#include "go/base64.h"

#include <gtest/gtest.h>

namespace kr::go {
namespace {

std::string decoded(std::string_view text) {
  const Base64Decode result = decode_base64_std(text);
  EXPECT_TRUE(result.ok()) << text << ": " << result.error;
  return result.bytes;
}

TEST(GoBase64, DecodesPaddedStandardBase64) {
  EXPECT_EQ(decoded(""), "");
  EXPECT_EQ(decoded("c2VjcmV0"), "secret");
  EXPECT_EQ(decoded("YQ=="), "a");
  EXPECT_EQ(decoded("YWI="), "ab");
  EXPECT_EQ(decoded("YWJj"), "abc");
  EXPECT_EQ(decoded("+/+/"), "\xfb\xff\xbf");
  EXPECT_EQ(decoded("YR=="), "a");  // non-zero trailing bits are tolerated
}

TEST(GoBase64, IgnoresNewlinesAnywhere) {
  EXPECT_EQ(decoded("c2Vj\ncmV0\n"), "secret");
  EXPECT_EQ(decoded("c2Vj\r\ncmV0"), "secret");
  EXPECT_EQ(decoded("YQ=\n="), "a");
  EXPECT_EQ(decoded("\n"), "");
}

TEST(GoBase64, ReportsTheOffendingByteLikeGo) {
  const auto error = [](std::string_view text) { return decode_base64_std(text).error; };
  EXPECT_EQ(error("YQ"), "illegal base64 data at input byte 0");  // padding missing
  EXPECT_EQ(error("YWJ"), "illegal base64 data at input byte 0");
  EXPECT_EQ(error("YQ="), "illegal base64 data at input byte 3");
  EXPECT_EQ(error("Y==="), "illegal base64 data at input byte 1");
  EXPECT_EQ(error("YQ=a"), "illegal base64 data at input byte 2");
  EXPECT_EQ(error("YQ==YQ=="), "illegal base64 data at input byte 4");  // data after padding
  EXPECT_EQ(error("c2V*"), "illegal base64 data at input byte 3");
  EXPECT_EQ(error("-_-_"), "illegal base64 data at input byte 0");  // URL alphabet
  EXPECT_EQ(error("c2VjcmV0a"), "illegal base64 data at input byte 8");
}

}  // namespace
}  // namespace kr::go
