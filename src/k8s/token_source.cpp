#include "k8s/token_source.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/errno_text.h"
#include "base/log.h"

namespace kr::k8s {
namespace {

// strings.TrimSpace, as client-go does with token files.
std::string trim(const std::string& s) {
  const char* space = " \t\r\n\v\f";
  const size_t begin = s.find_first_not_of(space);
  if (begin == std::string::npos) {
    return {};
  }
  const size_t end = s.find_last_not_of(space);
  return s.substr(begin, end - begin + 1);
}

}  // namespace

TokenSource::TokenSource(std::string static_token, std::string file)
    : token_(std::move(static_token)), file_(std::move(file)) {}

std::string TokenSource::token() {
  std::lock_guard lock(mutex_);
  if (file_.empty()) {
    return token_;
  }
  struct stat st {};
  if (::stat(file_.c_str(), &st) != 0) {
    if (!warned_) {
      KR_WARN("cannot stat bearer token file {}: {}; keeping the previous token", file_,
              kr::errno_text(errno));
      warned_ = true;
    }
    return token_;
  }
  if (st.st_ino == inode_ && st.st_size == size_ && st.st_mtim.tv_sec == mtime_.tv_sec &&
      st.st_mtim.tv_nsec == mtime_.tv_nsec) {
    return token_;
  }
  std::ifstream in(file_, std::ios::binary);
  std::ostringstream data;
  data << in.rdbuf();
  std::string fresh = trim(data.str());
  if (!in || fresh.empty()) {
    if (!warned_) {
      KR_WARN("bearer token file {} is unreadable or empty; keeping the previous token", file_);
      warned_ = true;
    }
    return token_;
  }
  token_ = std::move(fresh);
  inode_ = st.st_ino;
  size_ = st.st_size;
  mtime_ = st.st_mtim;
  warned_ = false;
  return token_;
}

}  // namespace kr::k8s
