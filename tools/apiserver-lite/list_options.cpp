#include "list_options.h"

#include <charconv>

#include "api_error.h"

namespace kr::apiserver_lite {
namespace {

const std::string* param(const std::map<std::string, std::string>& params, const char* name) {
  const auto it = params.find(name);
  return it == params.end() ? nullptr : &it->second;
}

int64_t parse_int(const std::string& text, const char* name) {
  int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    throw bad_request(std::string("invalid value for ") + name + ": strconv.ParseInt: parsing \"" +
                      text + "\": invalid syntax");
  }
  return value;
}

bool parse_bool_param(const std::string& text, const char* name) {
  if (const auto value = parse_go_bool(text)) {
    return *value;
  }
  throw bad_request(std::string("invalid value for ") + name + ": strconv.ParseBool: parsing \"" +
                    text + "\": invalid syntax");
}

// metainternalversion/validation.ValidateListOptions (and validateWatchOptions for watches).
void validate(const ListOptions& options) {
  using Match = ListOptions::Match;
  std::vector<StatusCause> causes;
  auto forbid = [&](const char* field, const std::string& why) {
    causes.push_back({"FieldValueForbidden", "Forbidden: " + why, field});
  };
  if (options.watch) {
    if (options.send_initial_events) {
      if (options.match != Match::kNotOlderThan) {
        forbid("resourceVersionMatch",
               "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan");
      }
      if (*options.send_initial_events && !options.allow_bookmarks) {
        forbid("allowWatchBookmarks",
               "sendInitialEvents requires setting allowWatchBookmarks to true");
      }
    }
    if (options.match != Match::kUnset) {
      if (!options.send_initial_events) {
        forbid("resourceVersionMatch",
               "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided");
      }
      if (options.match != Match::kNotOlderThan) {
        causes.push_back({"FieldValueNotSupported",
                          R"(Unsupported value: "Exact": supported values: "NotOlderThan")",
                          "resourceVersionMatch"});
      }
    }
  } else {
    if (options.match != Match::kUnset) {
      if (!options.resource_version) {
        forbid("resourceVersionMatch",
               "resourceVersionMatch is forbidden unless resourceVersion is provided");
      }
      if (!options.continue_token.empty()) {
        forbid("resourceVersionMatch",
               "resourceVersionMatch is forbidden when continue is provided");
      }
      if (options.match == Match::kExact && options.resource_version == 0u) {
        forbid("resourceVersionMatch",
               R"(resourceVersionMatch "exact" is forbidden for resourceVersion "0")");
      }
    }
    if (options.send_initial_events) {
      forbid("sendInitialEvents", "sendInitialEvents is forbidden for list");
    }
  }
  if (!causes.empty()) {
    throw invalid("ListOptions", "meta.k8s.io", "", std::move(causes));
  }
}

}  // namespace

std::optional<bool> parse_go_bool(const std::string& text) {
  if (text == "1" || text == "t" || text == "T" || text == "TRUE" || text == "true" ||
      text == "True") {
    return true;
  }
  if (text == "0" || text == "f" || text == "F" || text == "FALSE" || text == "false" ||
      text == "False") {
    return false;
  }
  return std::nullopt;
}

ListOptions parse_list_options(const std::map<std::string, std::string>& params,
                               const ResourceType& type) {
  ListOptions options;
  try {
    if (const auto* text = param(params, "labelSelector")) {
      options.labels = LabelSelector::parse(*text);
    }
    if (const auto* text = param(params, "fieldSelector")) {
      options.fields = FieldSelector::parse(*text);
    }
  } catch (const SelectorError& e) {
    throw bad_request(e.what());
  }
  for (const auto& term : options.fields.terms()) {
    if (!type.supports_field_label(term.label)) {
      throw bad_request("field label not supported: " + term.label);
    }
  }
  if (const auto* text = param(params, "resourceVersion"); text != nullptr && !text->empty()) {
    uint64_t rv = 0;
    const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), rv);
    if (ec != std::errc() || ptr != text->data() + text->size()) {
      throw bad_request("invalid resource version: \"" + *text + "\"");
    }
    options.resource_version = rv;
  }
  if (const auto* text = param(params, "resourceVersionMatch"); text != nullptr && !text->empty()) {
    if (*text == "Exact") {
      options.match = ListOptions::Match::kExact;
    } else if (*text == "NotOlderThan") {
      options.match = ListOptions::Match::kNotOlderThan;
    } else {
      throw invalid(
          "ListOptions", "meta.k8s.io", "",
          {{"FieldValueNotSupported",
            "Unsupported value: \"" + *text + R"(": supported values: "Exact", "NotOlderThan")",
            "resourceVersionMatch"}});
    }
  }
  if (const auto* text = param(params, "limit"); text != nullptr && !text->empty()) {
    options.limit = std::max<int64_t>(0, parse_int(*text, "limit"));
  }
  if (const auto* text = param(params, "continue")) {
    options.continue_token = *text;
  }
  if (const auto* text = param(params, "watch"); text != nullptr && !text->empty()) {
    options.watch = parse_bool_param(*text, "watch");
  }
  if (const auto* text = param(params, "allowWatchBookmarks"); text != nullptr && !text->empty()) {
    options.allow_bookmarks = parse_bool_param(*text, "allowWatchBookmarks");
  }
  if (const auto* text = param(params, "sendInitialEvents"); text != nullptr && !text->empty()) {
    options.send_initial_events = parse_bool_param(*text, "sendInitialEvents");
  }
  if (const auto* text = param(params, "timeoutSeconds"); text != nullptr && !text->empty()) {
    options.timeout_seconds = parse_int(*text, "timeoutSeconds");
  }
  validate(options);
  return options;
}

}  // namespace kr::apiserver_lite
