// Accessors and validation for the parts of an object the server manages (ObjectMeta and the
// field labels used by selectors). Objects are kept as JSON exactly as clients sent them.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "resource_types.h"

namespace kr::apiserver_lite {

// metadata.<member> as a string, "" when absent or not a string.
std::string meta_string(const boost::json::object& object, std::string_view member);
// The metadata object, created if missing (or replaced if it is not an object).
boost::json::object& mutable_metadata(boost::json::object& object);

// Storage key: "namespace/name" for namespaced types, "name" otherwise. Keys sort like etcd's,
// which fixes the order of list results.
std::string object_key(const ResourceType& type, std::string_view ns, std::string_view name);
std::string object_key(const ResourceType& type, const boost::json::object& object);

std::optional<std::string> label_value(const boost::json::object& object, std::string_view key);
// Value of a field label (metadata.name, spec.nodeName, ...) as the field selector compares it:
// strings as-is, booleans as "true"/"false" (unset booleans are "false"), missing strings "".
std::string field_value(const boost::json::object& object, std::string_view label);

// "" when `name` is acceptable for `type`, otherwise the validation message. Namespaces need an
// RFC 1123 label, Services an RFC 1035 label, everything else an RFC 1123 subdomain.
std::string validate_object_name(const ResourceType& type, std::string_view name);
bool is_dns1123_label(std::string_view s);

// Random RFC 4122 version 4 UUID, the form metadata.uid takes.
std::string new_uid();
// RFC 3339 UTC timestamp with second precision, as metav1.Time serialises.
std::string now_rfc3339();
// generateName + 5 characters from the alphabet apiserver's SimpleNameGenerator uses.
std::string generate_name(std::string_view prefix);

}  // namespace kr::apiserver_lite
