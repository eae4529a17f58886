#include "patch.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <vector>

namespace kr::apiserver_lite {
namespace json = boost::json;

json::value merge_patch(const json::value& target, const json::value& patch) {
  if (!patch.is_object()) {
    return patch;
  }
  json::object result = target.is_object() ? target.get_object() : json::object();
  for (const auto& [name, value] : patch.get_object()) {
    if (value.is_null()) {
      result.erase(name);
      continue;
    }
    const json::value* existing = result.if_contains(name);
    result[name] = merge_patch(existing != nullptr ? *existing : json::value(), value);
  }
  return result;
}

json::value strategic_merge_patch(const json::value& target, const json::value& patch) {
  if (!patch.is_object()) {
    return patch;
  }
  json::object directives_free;
  for (const auto& [name, value] : patch.get_object()) {
    if (!name.starts_with("$")) {
      directives_free[name] = value;
    }
  }
  if (const json::value* directive = patch.get_object().if_contains("$patch");
      directive != nullptr && *directive == "replace") {
    return directives_free;
  }
  json::object result = target.is_object() ? target.get_object() : json::object();
  for (const auto& [name, value] : directives_free) {
    const json::value* nested =
        value.is_object() ? value.get_object().if_contains("$patch") : nullptr;
    if (value.is_null() || (nested != nullptr && *nested == "delete")) {
      result.erase(name);
      continue;
    }
    const json::value* existing = result.if_contains(name);
    result[name] = strategic_merge_patch(existing != nullptr ? *existing : json::value(), value);
  }
  return result;
}

namespace {

// RFC 6901 section 3/4: "/a/b~1c" -> {"a", "b/c"}; "" is the whole document.
std::vector<std::string> parse_pointer(std::string_view pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) {
    return tokens;
  }
  if (pointer.front() != '/') {
    throw PatchError("JSON pointer \"" + std::string(pointer) + "\" must start with '/'");
  }
  std::string current;
  for (size_t i = 1; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      tokens.push_back(std::move(current));
      current.clear();
    } else if (pointer[i] == '~') {
      if (i + 1 >= pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1')) {
        throw PatchError("JSON pointer \"" + std::string(pointer) + "\" has a bad '~' escape");
      }
      current += pointer[++i] == '0' ? '~' : '/';
    } else {
      current += pointer[i];
    }
  }
  return tokens;
}

// Array index per RFC 6901 section 4: decimal without leading zeros; "-" (one past the end) only
// where the caller allows it.
size_t array_index(const std::string& token, size_t size, bool allow_end) {
  if (allow_end && token == "-") {
    return size;
  }
  if (token.empty() || token.size() > 18 || (token.size() > 1 && token.front() == '0') ||
      token.find_first_not_of("0123456789") != std::string::npos) {
    throw PatchError("\"" + token + "\" is not a valid array index");
  }
  const size_t index = std::stoull(token);
  if (index > size || (!allow_end && index == size)) {
    throw PatchError("array index " + token + " is out of bounds");
  }
  return index;
}

// The container holding the last token of `path`; throws if any step is missing.
json::value& parent_of(json::value& doc, const std::vector<std::string>& tokens,
                       const std::string& path) {
  json::value* node = &doc;
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (node->is_object()) {
      node = node->get_object().if_contains(tokens[i]);
    } else if (node->is_array()) {
      node = &node->get_array()[array_index(tokens[i], node->get_array().size(), false)];
    } else {
      node = nullptr;
    }
    if (node == nullptr) {
      throw PatchError("path \"" + path + "\" does not exist");
    }
  }
  return *node;
}

json::value& get(json::value& doc, const std::string& path) {
  const auto tokens = parse_pointer(path);
  if (tokens.empty()) {
    return doc;
  }
  json::value& parent = parent_of(doc, tokens, path);
  if (parent.is_object()) {
    if (json::value* v = parent.get_object().if_contains(tokens.back())) {
      return *v;
    }
  } else if (parent.is_array()) {
    return parent.get_array()[array_index(tokens.back(), parent.get_array().size(), false)];
  }
  throw PatchError("path \"" + path + "\" does not exist");
}

void add(json::value& doc, const std::string& path, json::value value) {
  const auto tokens = parse_pointer(path);
  if (tokens.empty()) {
    doc = std::move(value);
    return;
  }
  json::value& parent = parent_of(doc, tokens, path);
  if (parent.is_object()) {
    parent.get_object()[tokens.back()] = std::move(value);
  } else if (parent.is_array()) {
    json::array& array = parent.get_array();
    const size_t index = array_index(tokens.back(), array.size(), true);
    array.insert(array.begin() + static_cast<std::ptrdiff_t>(index), std::move(value));
  } else {
    throw PatchError("path \"" + path + "\" has no object or array parent");
  }
}

json::value remove(json::value& doc, const std::string& path) {
  const auto tokens = parse_pointer(path);
  if (tokens.empty()) {
    throw PatchError("cannot remove the whole document");
  }
  json::value& parent = parent_of(doc, tokens, path);
  if (parent.is_object()) {
    json::object& object = parent.get_object();
    if (auto it = object.find(tokens.back()); it != object.end()) {
      json::value removed = it->value();
      object.erase(it);
      return removed;
    }
  } else if (parent.is_array()) {
    json::array& array = parent.get_array();
    const size_t index = array_index(tokens.back(), array.size(), false);
    json::value removed = array[index];
    array.erase(array.begin() + static_cast<std::ptrdiff_t>(index));
    return removed;
  }
  throw PatchError("path \"" + path + "\" does not exist");
}

}  // namespace

json::value json_patch(const json::value& target, const json::value& patch) {
  if (!patch.is_array()) {
    throw PatchError("a JSON patch must be an array of operations");
  }
  json::value doc = target;
  size_t index = 0;
  for (const json::value& entry : patch.get_array()) {
    const std::string where = "operation " + std::to_string(index++);
    try {
      if (!entry.is_object()) {
        throw PatchError("not an object");
      }
      const json::object& op = entry.get_object();
      auto member = [&](const char* name) -> std::string {
        const json::value* v = op.if_contains(name);
        if (v == nullptr || !v->is_string()) {
          throw PatchError(std::string("missing or non-string \"") + name + "\"");
        }
        return std::string(v->get_string());
      };
      auto value = [&]() -> json::value {
        const json::value* v = op.if_contains("value");
        if (v == nullptr) {
          throw PatchError("missing \"value\"");
        }
        return *v;
      };
      const std::string kind = member("op");
      const std::string path = member("path");
      if (kind == "add") {
        add(doc, path, value());
      } else if (kind == "remove") {
        remove(doc, path);
      } else if (kind == "replace") {
        get(doc, path) = value();  // section 4.3: the target location must exist
      } else if (kind == "move") {
        const std::string from = member("from");
        if (path.starts_with(from + "/")) {
          throw PatchError("cannot move \"" + from + "\" into its own child \"" + path + "\"");
        }
        json::value moved = remove(doc, from);
        add(doc, path, std::move(moved));
      } else if (kind == "copy") {
        add(doc, path, get(doc, member("from")));
      } else if (kind == "test") {
        if (get(doc, path) != value()) {
          throw PatchError("test failed: value at \"" + path + "\" is " +
                           json::serialize(get(doc, path)));
        }
      } else {
        throw PatchError("unknown op \"" + kind + "\"");
      }
    } catch (const PatchError& e) {
      throw PatchError(where + ": " + e.what());
    }
  }
  return doc;
}

}  // namespace kr::apiserver_lite
