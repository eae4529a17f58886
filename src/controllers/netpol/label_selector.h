// metav1.LabelSelector semantics: matchLabels and matchExpressions ANDed; an empty selector
// selects everything.
#pragma once

#include <optional>
#include <string>

#include "k8s/objects.h"

namespace kr::netpol {

// Why the selector is invalid per the API's validation (unknown operator, In/NotIn without
// values, Exists/DoesNotExist with values), or nullopt when it is valid.
std::optional<std::string> selector_error(const k8s::LabelSelector& selector);

// Whether labels satisfy a valid selector.
bool selector_matches(const k8s::LabelSelector& selector, const k8s::StringMap& labels);

// True for the selector that selects everything.
bool selector_is_empty(const k8s::LabelSelector& selector);

// A text equal for selectors that select the same labels however they were written (pairs and
// expressions sorted, values sorted): names the ipsets whose members a selector defines.
std::string canonical_selector(const k8s::LabelSelector& selector);

}  // namespace kr::netpol
