// Decoders for the discovery.k8s.io, networking.k8s.io and coordination.k8s.io kinds.
#include <boost/json/object.hpp>

#include "k8s/decode.h"
#include "k8s/decode_util.h"

namespace kr::k8s {
namespace json = boost::json;
using namespace detail;

namespace {

constexpr int64_t kMaxPort = 65535;

std::optional<int32_t> port_field(const json::object& o, const Path& at) {
  std::optional<int64_t> v = int_field(o, at, 0, kMaxPort);
  return v ? std::optional<int32_t>(static_cast<int32_t>(*v)) : std::nullopt;
}

std::optional<int32_t> int32_opt(const json::object& o, const Path& at) {
  std::optional<int64_t> v = int_field(o, at);
  return v ? std::optional<int32_t>(static_cast<int32_t>(*v)) : std::nullopt;
}

Endpoint decode_endpoint(const json::object& e, const Path& at) {
  Endpoint ep;
  ep.addresses = string_array_field(e, at.child("addresses"));
  const Path cond_at = at.child("conditions");
  if (const json::object* c = object_field(e, cond_at)) {
    ep.ready = bool_field(*c, cond_at.child("ready"));
    ep.serving = bool_field(*c, cond_at.child("serving"));
    ep.terminating = bool_field(*c, cond_at.child("terminating"));
  }
  ep.node_name = interned_field(e, at.child("nodeName"));
  ep.hostname = string_field(e, at.child("hostname"));
  ep.zone = interned_field(e, at.child("zone"));
  const Path ref_at = at.child("targetRef");
  if (const json::object* r = object_field(e, ref_at)) {
    ep.target_ref = ObjectReference{interned_field(*r, ref_at.child("kind")),
                                    interned_field(*r, ref_at.child("namespace")),
                                    std::string(string_field(*r, ref_at.child("name")))};
  }
  return ep;
}

std::optional<LabelSelector> optional_selector(const json::object& o, const Path& at) {
  if (const json::object* s = object_field(o, at)) {
    return decode_label_selector(*s, at);
  }
  return std::nullopt;
}

NetworkPolicyPeer decode_peer(const json::object& p, const Path& at) {
  NetworkPolicyPeer peer;
  peer.pod_selector = optional_selector(p, at.child("podSelector"));
  peer.namespace_selector = optional_selector(p, at.child("namespaceSelector"));
  const Path block_at = at.child("ipBlock");
  if (const json::object* b = object_field(p, block_at)) {
    peer.ip_block = IpBlock{std::string(string_field(*b, block_at.child("cidr"))),
                            string_array_field(*b, block_at.child("except"))};
  }
  return peer;
}

// spec.ingress[*] (peers under "from") or spec.egress[*] (peers under "to").
std::vector<NetworkPolicyRule> decode_rules(const json::object& spec, const Path& at,
                                            std::string_view peers_key) {
  std::vector<NetworkPolicyRule> rules;
  for_each_object(spec, at, [&](const json::object& r, const Path& rp) {
    NetworkPolicyRule rule;
    for_each_object(r, rp.child("ports"), [&](const json::object& p, const Path& pp) {
      rule.ports.push_back(NetworkPolicyPort{interned_field(p, pp.child("protocol")),
                                             int_or_string_field(p, pp.child("port")),
                                             port_field(p, pp.child("endPort"))});
    });
    for_each_object(r, rp.child(peers_key), [&](const json::object& p, const Path& pp) {
      rule.peers.push_back(decode_peer(p, pp));
    });
    rules.push_back(std::move(rule));
  });
  return rules;
}

}  // namespace

template <>
EndpointSlice decode<EndpointSlice>(const json::object& o) {
  return decode_object<EndpointSlice>("EndpointSlice", o, [&](EndpointSlice& slice) {
    const Path root;
    const Path meta_at = root.child("metadata");
    const json::object& meta = *object_field(o, meta_at);  // decode_object checked it
    slice.generate_name = string_field(meta, meta_at.child("generateName"));
    for_each_object(
        meta, meta_at.child("ownerReferences"), [&](const json::object& r, const Path& p) {
          slice.owner_references.push_back(OwnerReference{
              interned_field(r, p.child("kind")), std::string(string_field(r, p.child("name")))});
        });
    slice.address_type = interned_field(o, root.child("addressType"));
    for_each_object(o, root.child("endpoints"), [&](const json::object& e, const Path& p) {
      slice.endpoints.push_back(decode_endpoint(e, p));
    });
    for_each_object(o, root.child("ports"), [&](const json::object& p, const Path& pp) {
      slice.ports.push_back(EndpointPort{
          interned_field(p, pp.child("name")), interned_field(p, pp.child("protocol")),
          port_field(p, pp.child("port")), interned_field(p, pp.child("appProtocol"))});
    });
  });
}

template <>
NetworkPolicy decode<NetworkPolicy>(const json::object& o) {
  return decode_object<NetworkPolicy>("NetworkPolicy", o, [&](NetworkPolicy& np) {
    const Path root;
    const Path spec_at = root.child("spec");
    const json::object* spec = object_field(o, spec_at);
    if (spec == nullptr) {
      return;
    }
    if (const json::object* sel = object_field(*spec, spec_at.child("podSelector"))) {
      np.pod_selector = decode_label_selector(*sel, spec_at.child("podSelector"));
    }
    np.policy_types = interned_array_field(*spec, spec_at.child("policyTypes"));
    np.ingress = decode_rules(*spec, spec_at.child("ingress"), "from");
    np.egress = decode_rules(*spec, spec_at.child("egress"), "to");
  });
}

template <>
Lease decode<Lease>(const json::object& o) {
  return decode_object<Lease>("Lease", o, [&](Lease& lease) {
    const Path root;
    const Path spec_at = root.child("spec");
    const json::object* spec = object_field(o, spec_at);
    if (spec == nullptr) {
      return;
    }
    if (const json::value* h = spec->if_contains("holderIdentity"); h != nullptr && !h->is_null()) {
      lease.holder_identity = std::string(string_field(*spec, spec_at.child("holderIdentity")));
    }
    lease.lease_duration_seconds = int32_opt(*spec, spec_at.child("leaseDurationSeconds"));
    lease.acquire_time = time_field(*spec, spec_at.child("acquireTime"));
    lease.renew_time = time_field(*spec, spec_at.child("renewTime"));
    lease.lease_transitions = int32_opt(*spec, spec_at.child("leaseTransitions"));
  });
}

}  // namespace kr::k8s
