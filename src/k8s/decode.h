// Decoding of API objects (JSON, as parsed by Boost.JSON) into the typed structs of objects.h.
//
// Every field is type-checked. A field of the wrong type or out of range makes the whole object
// fail with a DecodeError whose text names the kind, namespace/name and the field path, e.g.
//   Pod default/web: spec.nodeName: expected string, got number
// Absent and null fields take the API's zero value, as Go's decoder does.
#pragma once

#include <stdexcept>

#include "k8s/objects.h"

namespace boost::json {
class object;
}

namespace kr::k8s {

class DecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// metadata only: enough to key, delete or report an object whose body does not decode.
ObjectMeta decode_meta(const boost::json::object& object);

template <class T>
T decode(const boost::json::object& object);

template <>
Pod decode<Pod>(const boost::json::object& object);
template <>
Node decode<Node>(const boost::json::object& object);
template <>
Namespace decode<Namespace>(const boost::json::object& object);
template <>
Service decode<Service>(const boost::json::object& object);
template <>
EndpointSlice decode<EndpointSlice>(const boost::json::object& object);
template <>
NetworkPolicy decode<NetworkPolicy>(const boost::json::object& object);
template <>
Lease decode<Lease>(const boost::json::object& object);

}  // namespace kr::k8s
