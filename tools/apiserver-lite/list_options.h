// Query parameters of list and watch requests (metav1.ListOptions), parsed and validated the way
// kube-apiserver does: syntax errors are 400 BadRequest, rule violations 422 Invalid.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "field_selector.h"
#include "label_selector.h"
#include "resource_types.h"

namespace kr::apiserver_lite {

struct ListOptions {
  enum class Match { kUnset, kExact, kNotOlderThan };

  LabelSelector labels;
  FieldSelector fields;
  // nullopt: parameter absent (most recent, consistent read); 0: "0" (any version is fine).
  std::optional<uint64_t> resource_version;
  Match match = Match::kUnset;
  int64_t limit = 0;  // 0: no limit
  std::string continue_token;
  bool watch = false;
  bool allow_bookmarks = false;
  std::optional<int64_t> timeout_seconds;
  // Present only when the client sent sendInitialEvents (its absence has its own meaning).
  std::optional<bool> send_initial_events;
};

// Throws ApiError. Field selector labels are checked against `type`.
ListOptions parse_list_options(const std::map<std::string, std::string>& params,
                               const ResourceType& type);

// Go's strconv.ParseBool, which the API uses for boolean query parameters.
std::optional<bool> parse_go_bool(const std::string& text);

}  // namespace kr::apiserver_lite
