#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace kr::test {
namespace {

TEST(TempDir, ExistsWhileOwnedAndIsRemovedWithContents) {
  std::filesystem::path path;
  {
    TempDir dir("unit");
    path = dir.path();
    EXPECT_TRUE(std::filesystem::is_directory(path));
    EXPECT_NE(path.filename().string().find("krt-unit-"), std::string::npos);
    dir.write("nested/deeper/file.txt", "content");
    EXPECT_EQ(read_file(dir.file("nested/deeper/file.txt")), "content");
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(TempDir, TwoDirectoriesAreDistinct) {
  TempDir a;
  TempDir b;
  EXPECT_NE(a.path(), b.path());
}

TEST(Files, ReadMissingFileThrowsNamingIt) {
  TempDir dir;
  try {
    read_file(dir.file("absent"));
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("absent"), std::string::npos);
  }
  EXPECT_EQ(read_file_or_empty(dir.file("absent")), "");
}

TEST(Files, WriteReplacesContent) {
  TempDir dir;
  const auto file = dir.write("f", "a much longer first version");
  write_file(file, "short");
  EXPECT_EQ(read_file(file), "short");
}

TEST(Files, WriteIntoMissingDirectoryThrows) {
  TempDir dir;
  EXPECT_THROW(write_file(dir.file("no/such/dir/f"), "x"), std::runtime_error);
}

}  // namespace
}  // namespace kr::test
