#include "object_meta.h"

#include <algorithm>
#include <boost/json/value.hpp>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>

namespace kr::apiserver_lite {
namespace json = boost::json;

namespace {

std::mt19937_64& rng() {
  static std::mt19937_64 engine{std::random_device{}()};
  return engine;
}

const json::object* find_object(const json::object& parent, std::string_view member) {
  const json::value* v = parent.if_contains(member);
  return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}

bool is_lower_alnum(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0 || (c >= 'a' && c <= 'z');
}

bool is_dns1123_subdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) {
    return false;
  }
  size_t start = 0;
  while (start <= s.size()) {
    const size_t dot = std::min(s.find('.', start), s.size());
    const std::string_view label = s.substr(start, dot - start);
    if (label.empty() || !is_lower_alnum(label.front()) || !is_lower_alnum(label.back()) ||
        !std::all_of(label.begin(), label.end(),
                     [](char c) { return is_lower_alnum(c) || c == '-'; })) {
      return false;
    }
    start = dot + 1;
  }
  return true;
}

}  // namespace

std::string meta_string(const json::object& object, std::string_view member) {
  const json::object* metadata = find_object(object, "metadata");
  if (metadata == nullptr) {
    return "";
  }
  const json::value* v = metadata->if_contains(member);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

json::object& mutable_metadata(json::object& object) {
  json::value& metadata = object["metadata"];
  if (!metadata.is_object()) {
    metadata = json::object();
  }
  return metadata.get_object();
}

std::string object_key(const ResourceType& type, std::string_view ns, std::string_view name) {
  return type.namespaced ? std::string(ns) + "/" + std::string(name) : std::string(name);
}

std::string object_key(const ResourceType& type, const json::object& object) {
  return object_key(type, meta_string(object, "namespace"), meta_string(object, "name"));
}

std::optional<std::string> label_value(const json::object& object, std::string_view key) {
  const json::object* metadata = find_object(object, "metadata");
  const json::object* labels = metadata != nullptr ? find_object(*metadata, "labels") : nullptr;
  const json::value* v = labels != nullptr ? labels->if_contains(key) : nullptr;
  if (v == nullptr || !v->is_string()) {
    return std::nullopt;
  }
  return std::string(v->get_string());
}

std::string field_value(const json::object& object, std::string_view label) {
  const json::object* node = &object;
  std::string_view rest = label;
  for (;;) {
    const size_t dot = rest.find('.');
    const std::string_view member = rest.substr(0, dot);
    const json::value* v = node->if_contains(member);
    if (dot == std::string_view::npos) {
      if (v != nullptr && v->is_string()) {
        return std::string(v->get_string());
      }
      if (v != nullptr && v->is_bool()) {
        return v->get_bool() ? "true" : "false";
      }
      // Boolean fields the API defaults to false compare as "false" when unset.
      return label == "spec.hostNetwork" || label == "spec.unschedulable" ? "false" : "";
    }
    if (v == nullptr || !v->is_object()) {
      return label == "spec.hostNetwork" || label == "spec.unschedulable" ? "false" : "";
    }
    node = &v->get_object();
    rest = rest.substr(dot + 1);
  }
}

bool is_dns1123_label(std::string_view s) {
  return !s.empty() && s.size() <= 63 && s.find('.') == std::string_view::npos &&
         is_dns1123_subdomain(s);
}

std::string validate_object_name(const ResourceType& type, std::string_view name) {
  if (type.kind == "Namespace") {
    return is_dns1123_label(name)
               ? ""
               : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters "
                 "or '-', and must start and end with an alphanumeric character";
  }
  if (type.kind == "Service") {
    const bool ok =
        is_dns1123_label(name) && std::isalpha(static_cast<unsigned char>(name[0])) != 0;
    return ok ? ""
              : "a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
                "start with an alphabetic character, and end with an alphanumeric character";
  }
  return is_dns1123_subdomain(name)
             ? ""
             : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
               "characters, '-' or '.', and must start and end with an alphanumeric character";
}

std::string new_uid() {
  const uint64_t hi = rng()();
  const uint64_t lo = rng()();
  char out[37];
  std::snprintf(out, sizeof out, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>(hi >> 16 & 0xffff), static_cast<unsigned>(hi & 0xfff),
                static_cast<unsigned>((lo >> 48 & 0x3fff) | 0x8000),
                static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return out;
}

std::string now_rfc3339() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return out;
}

std::string generate_name(std::string_view prefix) {
  // apiserver/pkg/storage/names: utilrand.String(5) over "bcdfghjklmnpqrstvwxz2456789".
  static constexpr std::string_view kAlphabet = "bcdfghjklmnpqrstvwxz2456789";
  std::string name(prefix.substr(0, 58));
  std::uniform_int_distribution<size_t> pick(0, kAlphabet.size() - 1);
  for (int i = 0; i < 5; ++i) {
    name += kAlphabet[pick(rng())];
  }
  return name;
}

}  // namespace kr::apiserver_lite
