// Per-kind rules the real registry strategies apply on create and update
// (pkg/registry/core/<kind>/strategy.go): status resets and server-set metadata. Service
// defaults and allocations live in service_network.h.
#pragma once

#include <boost/json/object.hpp>

#include "resource_types.h"

namespace kr::apiserver_lite {

// Called after metadata is filled in and before the object is stored.
void prepare_for_create(const ResourceType& type, boost::json::object& object);
// `object` is the incoming state with system metadata already carried over.
void prepare_for_update(const ResourceType& type, boost::json::object& object);

}  // namespace kr::apiserver_lite
