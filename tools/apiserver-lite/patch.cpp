#include "patch.h"

#include <algorithm>
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

namespace {

struct Smp {
  std::string_view kind;
  MergeKeyLookup merge_key;

  json::value map(const json::object* target, const json::object& patch,
                  const std::string& path) const;
  json::array list(const json::array& original, const json::array& patch, const std::string& key,
                   const std::string& path) const;
};

std::string child_path(const std::string& path, std::string_view name) {
  return path.empty() ? std::string(name) : path + "." + std::string(name);
}

bool is_directive(const json::object& object, std::string_view directive) {
  const json::value* d = object.if_contains("$patch");
  return d != nullptr && d->is_string() && d->get_string() == directive;
}

bool is_directive(const json::value& value, std::string_view directive) {
  return value.is_object() && is_directive(value.get_object(), directive);
}

// An element's identity within its list: its merge key value, or itself for primitives.
const json::value* identity(const json::value& element, const std::string& key) {
  if (key.empty()) {
    return &element;
  }
  return element.is_object() ? element.get_object().if_contains(key) : nullptr;
}

json::value Smp::map(const json::object* target, const json::object& patch,
                     const std::string& path) const {
  if (is_directive(patch, "replace")) {
    json::object alone = patch;  // the patch replaces the map; its own directives go
    alone.erase("$patch");
    return map(nullptr, alone, path);
  }
  json::object result = target != nullptr ? *target : json::object();
  if (const json::value* retain = patch.if_contains("$retainKeys");
      retain != nullptr && retain->is_array()) {
    // retainKeys strategy: members not listed are cleared.
    json::object kept;
    for (const auto& keep : retain->get_array()) {
      if (const json::value* v =
              keep.is_string() ? result.if_contains(keep.get_string()) : nullptr) {
        kept[keep.get_string()] = *v;
      }
    }
    result = std::move(kept);
  }
  for (const auto& [name, value] : patch) {
    if (name.starts_with("$")) {
      continue;
    }
    if (value.is_null() || is_directive(value, "delete")) {
      result.erase(name);
      continue;
    }
    const std::string child = child_path(path, name);
    const json::value* existing = result.if_contains(name);
    if (value.is_array()) {
      const auto key = merge_key(kind, child);
      if (key) {
        result[name] = list(
            existing != nullptr && existing->is_array() ? existing->get_array() : json::array(),
            value.get_array(), *key, child);
      } else {
        result[name] = value;  // lists without a merge strategy are replaced
      }
    } else if (value.is_object()) {
      result[name] =
          map(existing != nullptr && existing->is_object() ? &existing->get_object() : nullptr,
              value.get_object(), child);
    } else {
      result[name] = value;
    }
  }
  for (const auto& [name, value] : patch) {
    json::value* field = nullptr;
    if (name.starts_with("$deleteFromPrimitiveList/") && value.is_array() &&
        (field = result.if_contains(name.substr(25))) != nullptr && field->is_array()) {
      json::array kept;
      for (const auto& element : field->get_array()) {
        if (std::find(value.get_array().begin(), value.get_array().end(), element) ==
            value.get_array().end()) {
          kept.push_back(element);
        }
      }
      field->get_array() = std::move(kept);
    }
  }
  for (const auto& [name, value] : patch) {
    json::value* field = nullptr;
    if (name.starts_with("$setElementOrder/") && value.is_array() &&
        (field = result.if_contains(name.substr(17))) != nullptr && field->is_array()) {
      // Elements named in the order come first, in that order; the rest keep theirs.
      const auto key = merge_key(kind, child_path(path, name.substr(17))).value_or("");
      json::array ordered;
      json::array& items = field->get_array();
      for (const auto& wanted : value.get_array()) {
        const json::value* id = identity(wanted, key);
        for (auto it = items.begin(); id != nullptr && it != items.end(); ++it) {
          const json::value* have = identity(*it, key);
          if (have != nullptr && *have == *id) {
            ordered.push_back(*it);
            items.erase(it);
            break;
          }
        }
      }
      for (auto& rest : items) {
        ordered.push_back(rest);
      }
      items = std::move(ordered);
    }
  }
  return result;
}

json::array Smp::list(const json::array& original, const json::array& patch, const std::string& key,
                      const std::string& path) const {
  json::array result = original;
  for (const auto& element : patch) {
    const json::value* id = identity(element, key);
    auto match = std::find_if(result.begin(), result.end(), [&](const json::value& have) {
      const json::value* have_id = identity(have, key);
      return id != nullptr && have_id != nullptr && *have_id == *id;
    });
    if (is_directive(element, "delete")) {
      if (match != result.end()) {
        result.erase(match);
      }
      continue;
    }
    if (!element.is_object()) {
      if (match == result.end()) {
        result.push_back(element);  // primitive set: add if absent
      }
      continue;
    }
    const bool replace = is_directive(element, "replace");
    json::value merged = map(
        match != result.end() && !replace && match->is_object() ? &match->get_object() : nullptr,
        element.get_object(), path + "[]");
    if (match != result.end()) {
      *match = std::move(merged);
    } else {
      result.push_back(std::move(merged));
    }
  }
  return result;
}

}  // namespace

json::value strategic_merge_patch(const json::value& target, const json::value& patch,
                                  std::string_view kind, MergeKeyLookup merge_key) {
  if (!patch.is_object()) {
    return patch;
  }
  const Smp smp{kind, merge_key};
  return smp.map(target.is_object() ? &target.get_object() : nullptr, patch.get_object(), "");
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
          // NOLINTNEXTLINE(performance-inefficient-string-concatenation): throws, runs once
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
