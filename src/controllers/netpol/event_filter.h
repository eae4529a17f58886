// Which API changes can alter the firewall (netpol.md §2), so unrelated churn (a pod's image,
// its container statuses) does not cost a reconcile pass.
#pragma once

#include "k8s/objects.h"

namespace kr::netpol {

// nullptr `old` is an add, nullptr `now` a delete.
bool pod_change_matters(const k8s::Pod* old, const k8s::Pod* now);
bool namespace_change_matters(const k8s::Namespace* old, const k8s::Namespace* now);

}  // namespace kr::netpol
