// Temporary directories that tests own, and small file helpers.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace kr::test {

// A fresh directory under $TMPDIR (or /tmp), named krt-<tag>-XXXXXX, removed
// with everything in it when the object is destroyed.
class TempDir {
 public:
  explicit TempDir(std::string_view tag = "tmp");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // path() / name, without touching the file system.
  std::filesystem::path file(std::string_view name) const { return path_ / name; }
  // Writes content to path() / name (parents created) and returns that path.
  std::filesystem::path write(std::string_view name, std::string_view content) const;

 private:
  std::filesystem::path path_;
};

// Whole file as a string; throws std::runtime_error naming the file if it cannot be read.
std::string read_file(const std::filesystem::path& path);
// Whole file, or an empty string when it does not exist (yet) or cannot be read.
std::string read_file_or_empty(const std::filesystem::path& path);
// Replaces the file's content; throws std::runtime_error naming the file on failure.
void write_file(const std::filesystem::path& path, std::string_view content);

}  // namespace kr::test
