#include "k8s/decode_util.h"

#include <fmt/format.h>

#include "k8s/time.h"

namespace kr::k8s::detail {
namespace json = boost::json;
namespace {

const char* type_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "bool";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "number";
    case json::kind::string:
      return "string";
    case json::kind::array:
      return "array";
    case json::kind::object:
      return "object";
  }
  return "unknown";
}

[[noreturn]] void wrong_type(const Path& at, const char* expected, const json::value& v) {
  fail(at, fmt::format("expected {}, got {}", expected, type_name(v)));
}

// The field's value, or nullptr when absent or null.
const json::value* find(const json::object& o, const Path& at) {
  const json::value* v = o.if_contains(at.key);
  return v == nullptr || v->is_null() ? nullptr : v;
}

void append_path(const Path& p, std::string& out) {
  if (p.parent != nullptr) {
    append_path(*p.parent, out);
  }
  if (p.index >= 0) {
    out += fmt::format("[{}]", p.index);
  } else if (!p.key.empty()) {
    if (!out.empty()) {
      out += '.';
    }
    out += p.key;
  }
}

bool keep_all(std::string_view /*name*/) { return true; }

}  // namespace

std::string Path::render() const {
  std::string out;
  append_path(*this, out);
  return out;
}

void fail(const Path& at, std::string reason) { throw FieldError{at.render(), std::move(reason)}; }

const json::object* object_field(const json::object& o, const Path& at) {
  const json::value* v = find(o, at);
  if (v == nullptr) {
    return nullptr;
  }
  if (!v->is_object()) {
    wrong_type(at, "object", *v);
  }
  return &v->get_object();
}

const json::array* array_field(const json::object& o, const Path& at) {
  const json::value* v = find(o, at);
  if (v == nullptr) {
    return nullptr;
  }
  if (!v->is_array()) {
    wrong_type(at, "array", *v);
  }
  return &v->get_array();
}

std::string_view string_field(const json::object& o, const Path& at) {
  const json::value* v = find(o, at);
  if (v == nullptr) {
    return {};
  }
  if (!v->is_string()) {
    wrong_type(at, "string", *v);
  }
  const json::string& s = v->get_string();
  return {s.data(), s.size()};
}

std::optional<bool> bool_field(const json::object& o, const Path& at) {
  const json::value* v = find(o, at);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (!v->is_bool()) {
    wrong_type(at, "bool", *v);
  }
  return v->get_bool();
}

std::optional<int64_t> int_field(const json::object& o, const Path& at, int64_t min, int64_t max) {
  const json::value* v = find(o, at);
  if (v == nullptr) {
    return std::nullopt;
  }
  int64_t n = 0;
  if (v->is_int64()) {
    n = v->get_int64();
  } else if (v->is_uint64() && v->get_uint64() <= static_cast<uint64_t>(max)) {
    n = static_cast<int64_t>(v->get_uint64());
  } else if (v->is_uint64()) {
    fail(at, fmt::format("{} is out of range [{}, {}]", v->get_uint64(), min, max));
  } else {
    // Go's decoder also refuses 1.5 (and 1.0) for an integer field.
    wrong_type(at, "integer", *v);
  }
  if (n < min || n > max) {
    fail(at, fmt::format("{} is out of range [{}, {}]", n, min, max));
  }
  return n;
}

std::optional<IntOrString> int_or_string_field(const json::object& o, const Path& at) {
  const json::value* v = find(o, at);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (v->is_string()) {
    const json::string& s = v->get_string();
    if (s.empty()) {
      fail(at, "expected a name or a number, got an empty string");
    }
    return IntOrString{0, std::string(s.data(), s.size())};
  }
  if (!v->is_int64() && !v->is_uint64()) {
    wrong_type(at, "integer or string", *v);
  }
  return IntOrString{static_cast<int32_t>(*int_field(o, at)), {}};
}

std::optional<Time> time_field(const json::object& o, const Path& at) {
  const std::string_view text = string_field(o, at);
  if (text.empty()) {
    return std::nullopt;
  }
  std::optional<Time> t = parse_rfc3339(text);
  if (!t) {
    fail(at, fmt::format("\"{}\" is not an RFC 3339 time", text));
  }
  return t;
}

std::vector<std::string> string_array_field(const json::object& o, const Path& at) {
  std::vector<std::string> out;
  if (const json::array* a = array_field(o, at)) {
    out.reserve(a->size());
    for (size_t i = 0; i < a->size(); ++i) {
      if (!(*a)[i].is_string()) {
        wrong_type(at.element(i), "string", (*a)[i]);
      }
      const json::string& s = (*a)[i].get_string();
      out.emplace_back(s.data(), s.size());
    }
  }
  return out;
}

std::vector<Interned> interned_array_field(const json::object& o, const Path& at) {
  std::vector<Interned> out;
  if (const json::array* a = array_field(o, at)) {
    out.reserve(a->size());
    for (size_t i = 0; i < a->size(); ++i) {
      if (!(*a)[i].is_string()) {
        wrong_type(at.element(i), "string", (*a)[i]);
      }
      const json::string& s = (*a)[i].get_string();
      out.emplace_back(std::string_view(s.data(), s.size()));
    }
  }
  return out;
}

StringMap string_map_field(const json::object& o, const Path& at,
                           bool (*keep)(std::string_view key)) {
  StringMap out;
  const json::object* m = object_field(o, at);
  if (m == nullptr) {
    return out;
  }
  if (keep == nullptr) {
    keep = keep_all;
  }
  for (const auto& [key, value] : *m) {
    const std::string_view k(key.data(), key.size());
    if (!value.is_string()) {
      wrong_type(at.child(k), "string", value);
    }
    if (keep(k)) {
      const json::string& s = value.get_string();
      out.set(k, std::string_view(s.data(), s.size()));
    }
  }
  out.shrink_to_fit();
  return out;
}

const json::object& element_object(const json::value& v, const Path& at) {
  if (!v.is_object()) {
    wrong_type(at, "object", v);
  }
  return v.get_object();
}

LabelSelector decode_label_selector(const json::object& o, const Path& at) {
  LabelSelector sel;
  sel.match_labels = string_map_field(o, at.child("matchLabels"));
  for_each_object(o, at.child("matchExpressions"), [&](const json::object& e, const Path& p) {
    LabelSelectorRequirement req;
    req.key = interned_field(e, p.child("key"));
    req.op = interned_field(e, p.child("operator"));
    req.values = interned_array_field(e, p.child("values"));
    sel.match_expressions.push_back(std::move(req));
  });
  return sel;
}

std::string best_effort_key(const json::object& o) {
  const json::value* meta = o.if_contains("metadata");
  if (meta == nullptr || !meta->is_object()) {
    return "(unnamed)";
  }
  const json::value* name = meta->get_object().if_contains("name");
  if (name == nullptr || !name->is_string() || name->get_string().empty()) {
    return "(unnamed)";
  }
  const json::value* ns = meta->get_object().if_contains("namespace");
  std::string key;
  if (ns != nullptr && ns->is_string() && !ns->get_string().empty()) {
    key = std::string(ns->get_string()) + "/";
  }
  return key + std::string(name->get_string());
}

void throw_decode_error(std::string_view kind, const std::string& who, const FieldError& e) {
  throw DecodeError(fmt::format("{} {}: {}: {}", kind, who, e.path, e.reason));
}

}  // namespace kr::k8s::detail
