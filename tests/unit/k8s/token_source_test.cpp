#include "k8s/token_source.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/temp_dir.h"

namespace kr::k8s {
namespace {

TEST(TokenSource, StaticToken) {
  TokenSource s("static", "");
  EXPECT_EQ(s.token(), "static");
}

TEST(TokenSource, FileIsTrimmedAndRereadWhenRotated) {
  kr::test::TempDir dir{"k8s"};
  const auto file = dir.write("token", "first\n");
  TokenSource s("static", file.string());
  EXPECT_EQ(s.token(), "first");
  // Rotation as the kubelet does it: a new file renamed over the old one.
  dir.write("token.new", "second-longer\n");
  std::filesystem::rename(dir.path() / "token.new", file);
  EXPECT_EQ(s.token(), "second-longer");
}

TEST(TokenSource, UnreadableOrEmptyFileKeepsTheLastGoodToken) {
  kr::test::TempDir dir{"k8s"};
  const auto file = dir.write("token", "good");
  TokenSource s("", file.string());
  EXPECT_EQ(s.token(), "good");
  dir.write("token", "  \n");
  EXPECT_EQ(s.token(), "good");
  std::filesystem::remove(file);
  EXPECT_EQ(s.token(), "good");
  dir.write("token", "back");
  EXPECT_EQ(s.token(), "back");
}

TEST(TokenSource, MissingFileFallsBackToStaticToken) {
  TokenSource s("static", "/nonexistent/kr-token");
  EXPECT_EQ(s.token(), "static");
}

}  // namespace
}  // namespace kr::k8s
