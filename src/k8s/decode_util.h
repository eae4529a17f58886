// Type-checked field access for the decoders (internal to src/k8s; includes Boost.JSON).
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "k8s/decode.h"
#include "k8s/objects.h"

namespace kr::k8s::detail {

// A position in the object, rendered only when reporting an error ("spec.ports[2].port").
struct Path {
  const Path* parent = nullptr;
  std::string_view key;
  int64_t index = -1;  // set for array elements

  Path child(std::string_view k) const { return Path{this, k, -1}; }
  Path element(size_t i) const { return Path{this, {}, static_cast<int64_t>(i)}; }
  std::string render() const;
};

// Thrown by the accessors; decode<T> turns it into a DecodeError naming the object.
struct FieldError {
  std::string path;
  std::string reason;
};

[[noreturn]] void fail(const Path& at, std::string reason);

// Accessors: absent or null fields give the zero value / nullopt, as in Go.
const boost::json::object* object_field(const boost::json::object& o, const Path& at);
const boost::json::array* array_field(const boost::json::object& o, const Path& at);
std::string_view string_field(const boost::json::object& o, const Path& at);
std::optional<bool> bool_field(const boost::json::object& o, const Path& at);
std::optional<int64_t> int_field(const boost::json::object& o, const Path& at,
                                 int64_t min = std::numeric_limits<int32_t>::min(),
                                 int64_t max = std::numeric_limits<int32_t>::max());
std::optional<IntOrString> int_or_string_field(const boost::json::object& o, const Path& at);
std::optional<Time> time_field(const boost::json::object& o, const Path& at);
std::vector<std::string> string_array_field(const boost::json::object& o, const Path& at);
std::vector<Interned> interned_array_field(const boost::json::object& o, const Path& at);
// Every entry must be a string; entries whose key fails `keep` are dropped.
StringMap string_map_field(const boost::json::object& o, const Path& at,
                           bool (*keep)(std::string_view key) = nullptr);

// Array element that must be an object.
const boost::json::object& element_object(const boost::json::value& v, const Path& at);

inline Interned interned_field(const boost::json::object& o, const Path& at) {
  return Interned(string_field(o, at));
}
inline int32_t int32_field(const boost::json::object& o, const Path& at) {
  return static_cast<int32_t>(int_field(o, at).value_or(0));
}

// Calls fn(element_object, element_path) for each element of the array field at `at`.
template <class Fn>
void for_each_object(const boost::json::object& o, const Path& at, Fn&& fn) {
  if (const boost::json::array* a = array_field(o, at)) {
    for (size_t i = 0; i < a->size(); ++i) {
      const Path p = at.element(i);
      fn(element_object((*a)[i], p), p);
    }
  }
}

LabelSelector decode_label_selector(const boost::json::object& o, const Path& at);

// metadata.*; throws FieldError (decode_meta wraps it into a DecodeError).
ObjectMeta decode_meta_fields(const boost::json::object& o);

// "<namespace>/<name>" read leniently from the raw object, for naming an object whose metadata
// does not decode; "(unnamed)" when even that fails.
std::string best_effort_key(const boost::json::object& o);

[[noreturn]] void throw_decode_error(std::string_view kind, const std::string& who,
                                     const FieldError& e);

// Decodes metadata, then runs fill(result); a FieldError becomes a DecodeError
// "<Kind> <namespace>/<name>: <field>: <reason>".
template <class T, class Fill>
T decode_object(std::string_view kind, const boost::json::object& o, Fill&& fill) {
  T result;
  try {
    result.meta = decode_meta_fields(o);
  } catch (const FieldError& e) {
    throw_decode_error(kind, best_effort_key(o), e);
  }
  try {
    fill(result);
  } catch (const FieldError& e) {
    throw_decode_error(kind, result.meta.key(), e);
  }
  return result;
}

}  // namespace kr::k8s::detail
