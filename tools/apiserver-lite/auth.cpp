#include "auth.h"

#include <cctype>
#include <fstream>
#include <sstream>

#include "base/log.h"

namespace kr::apiserver_lite {

std::vector<std::vector<std::string>> parse_csv(std::string_view text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool in_quotes = false;
  bool field_started = false;
  size_t line = 1;
  auto end_record = [&] {
    if (field_started || !record.empty()) {
      record.push_back(std::move(field));
      records.push_back(std::move(record));
    }
    record.clear();
    field.clear();
    field_started = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        line += c == '\n' ? 1 : 0;
        field += c;
      }
      continue;
    }
    if (c == '"' && field.empty()) {
      in_quotes = true;
      field_started = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      field_started = true;
    } else if (c == '\n') {
      end_record();
      ++line;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    } else {
      field += c;
      field_started = true;
    }
  }
  if (in_quotes) {
    throw std::runtime_error("line " + std::to_string(line) + ": unterminated quoted field");
  }
  end_record();
  return records;
}

void Authenticator::load_token_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw std::runtime_error("cannot read token file '" + path + "'");
  }
  std::stringstream contents;
  contents << in.rdbuf();
  load_tokens(contents.str(), "token file '" + path + "'");
}

void Authenticator::load_tokens(std::string_view csv, const std::string& origin) {
  std::vector<std::vector<std::string>> records;
  try {
    records = parse_csv(csv);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(origin + ": " + e.what());
  }
  size_t number = 0;
  for (auto& record : records) {
    ++number;
    // Same rules and messages as k8s.io/apiserver/.../token/tokenfile.NewCSV.
    if (record.size() < 3) {
      throw std::runtime_error(origin +
                               " must have at least 3 columns (token, user name, user "
                               "uid), found " +
                               std::to_string(record.size()) + " in record " +
                               std::to_string(number));
    }
    if (record[0].empty()) {
      KR_WARN("empty token has been found in {}, record number '{}'", origin, number);
      continue;
    }
    if (tokens_.contains(record[0])) {
      KR_WARN("duplicate token has been found in {}, record number '{}'", origin, number);
    }
    UserInfo user{record[1], record[2], {}};
    if (record.size() >= 4) {
      std::string_view groups = record[3];
      while (!groups.empty()) {
        const size_t comma = groups.find(',');
        user.groups.emplace_back(groups.substr(0, comma));
        groups = comma == std::string_view::npos ? "" : groups.substr(comma + 1);
      }
    }
    tokens_[record[0]] = std::move(user);
  }
}

std::optional<UserInfo> Authenticator::authenticate_bearer(std::string_view authorization) const {
  // bearertoken.Authenticator: the scheme is case-insensitive, the token must be non-empty.
  const size_t space = authorization.find(' ');
  if (space == std::string_view::npos) {
    return std::nullopt;
  }
  std::string scheme(authorization.substr(0, space));
  for (auto& c : scheme) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  std::string_view token = authorization.substr(space + 1);
  while (!token.empty() && token.front() == ' ') {
    token.remove_prefix(1);
  }
  while (!token.empty() && token.back() == ' ') {
    token.remove_suffix(1);
  }
  if (scheme != "bearer" || token.empty()) {
    return std::nullopt;
  }
  const auto it = tokens_.find(std::string(token));
  if (it == tokens_.end()) {
    return std::nullopt;
  }
  return it->second;
}

}  // namespace kr::apiserver_lite
