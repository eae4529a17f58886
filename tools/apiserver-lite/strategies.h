// Per-kind rules the real registry strategies apply on create and update
// (pkg/registry/core/<kind>/strategy.go): status resets, server-set defaults, immutable fields.
#pragma once

#include <boost/json/object.hpp>

#include "resource_types.h"

namespace kr::apiserver_lite {

// Called after metadata is filled in and before the object is stored. May throw ApiError.
void prepare_for_create(const ResourceType& type, boost::json::object& object);
// `object` is the incoming state with system metadata already carried over from `old`.
// May throw ApiError (422 for a change to an immutable field).
void prepare_for_update(const ResourceType& type, boost::json::object& object,
                        const boost::json::object& old);

}  // namespace kr::apiserver_lite
