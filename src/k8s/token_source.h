// The bearer token to send, re-read from its file when the file changes (bound service account
// tokens are rotated by the kubelet, like client-go's cached file token source).
#pragma once

#include <ctime>
#include <mutex>
#include <string>

namespace kr::k8s {

class TokenSource {
 public:
  // `file` wins over `static_token` once it has been read successfully.
  TokenSource(std::string static_token, std::string file);

  // The current token. The file is checked (one stat) on every call and re-read when its
  // identity, size or modification time changed; an unreadable or empty file keeps the last
  // good token and logs a warning once.
  std::string token();

 private:
  std::mutex mutex_;
  std::string token_;
  std::string file_;
  // What the file looked like when last read.
  ino_t inode_ = 0;
  off_t size_ = -1;
  timespec mtime_{};
  bool warned_ = false;
};

}  // namespace kr::k8s
