// Authentication as kube-apiserver does it for the two methods we serve: static bearer tokens
// (--token-auth-file, CSV "token,user,uid[,\"group1,group2\"]") and x509 client certificates
// (verified by the TLS layer against --client-ca-file; CN is the user, O the groups).
// Authorisation is deliberately simple: everyone may do everything, except users named with
// --readonly-user, who may only get, list and watch (403 otherwise).
#pragma once

#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kr::apiserver_lite {

struct UserInfo {
  std::string name;
  std::string uid;
  std::vector<std::string> groups;
};

class Authenticator {
 public:
  // Throws std::runtime_error naming the file and record for unreadable or malformed files.
  void load_token_file(const std::string& path);
  // Parses token file contents; `origin` names the source in errors.
  void load_tokens(std::string_view csv, const std::string& origin);
  void add_readonly_user(std::string name) { readonly_.insert(std::move(name)); }

  // `authorization` is the Authorization header value; nullopt unless it is "Bearer <known>".
  std::optional<UserInfo> authenticate_bearer(std::string_view authorization) const;
  bool read_only(const UserInfo& user) const { return readonly_.contains(user.name); }
  size_t token_count() const { return tokens_.size(); }

 private:
  std::unordered_map<std::string, UserInfo> tokens_;
  std::set<std::string> readonly_;
};

// One CSV record per line as Go's encoding/csv reads it (RFC 4180 quoting, "" escapes a quote);
// blank lines are skipped. Throws std::runtime_error for an unterminated quote.
std::vector<std::vector<std::string>> parse_csv(std::string_view text);

}  // namespace kr::apiserver_lite
