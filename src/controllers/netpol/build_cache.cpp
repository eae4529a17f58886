#include "controllers/netpol/build_cache.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

namespace kr::netpol {
namespace {

template <class Value>
struct Entry {
  Value value;
  uint64_t used = 0;  // the pass that last used it
};

template <class Value>
using Table = std::unordered_map<std::string, Entry<Value>>;

template <class Map>
void drop_unused(Map& map, uint64_t pass) {
  std::erase_if(map, [pass](const auto& item) { return item.second.used != pass; });
}

// A derived value and the encoded inputs it was computed from.
template <class Value>
struct Memo {
  bool made = false;
  std::string inputs;
  Value value;
};

bool is_local(const k8s::Pod& pod, const NodeFacts& node) {
  if (!node.name.empty() && pod.node_name == node.name) {
    return true;
  }
  // Upstream's test (netpol.md §7.3): the pod's hostIP is one of the node's addresses.
  return !pod.host_ip.empty() && std::find(node.addresses.begin(), node.addresses.end(),
                                           pod.host_ip.view()) != node.addresses.end();
}

// Keeps `old` when `made` equals it, so an unchanged result stays the same shared list.
void keep_or_replace(netfilter::StringList& old, netfilter::StringList made) {
  if (!(old == made)) old = std::move(made);
}

// The memo's list, made again by `make` unless `inputs` are the ones it was made from.
const netfilter::StringList& refresh(Memo<netfilter::StringList>& memo, const std::string& inputs,
                                     const std::function<std::vector<std::string>()>& make) {
  if (!memo.made || memo.inputs != inputs) {
    keep_or_replace(memo.value, make());
    memo.made = true;
    memo.inputs = inputs;
  }
  return memo.value;
}

}  // namespace

void append_version(std::string& inputs, uint64_t value) {
  inputs.append(reinterpret_cast<const char*>(&value), sizeof value);
}

void append_text(std::string& inputs, std::string_view text) {
  append_version(inputs, text.size());
  inputs += text;
}

struct BuildCache::State {
  uint64_t pass = 0;
  uint64_t last_number = 0;  // serials and versions: each number is given out once
  std::optional<NodeFacts> node;

  struct PodItem {
    std::shared_ptr<const k8s::Pod> object;  // keeps the key's address from being reused
    std::array<std::vector<std::string>, 2> ips;
    std::vector<Problem> problems;
    std::optional<PodEntry> entry;
    std::array<std::optional<PodRules>, 2> rules;
    std::array<Memo<netfilter::StringList>, 2> chain;
  };
  struct PolicyItem {
    std::shared_ptr<const k8s::NetworkPolicy> object;
    PolicyCompilation compiled;
  };
  struct SelectionMemo {
    std::string inputs;
    std::string serials;  // the result's pods, to tell whether a new result differs
    Selection selection;
  };
  std::unordered_map<const k8s::Pod*, Entry<PodItem>> pods;
  std::unordered_map<const k8s::NetworkPolicy*, Entry<PolicyItem>> policies;
  Table<Memo<uint64_t>> versions;
  Table<uint64_t> arrivals;
  Table<SelectionMemo> selections;
  Table<Memo<PortGroups>> port_groups;
  Table<Memo<netfilter::StringList>> sets;
  Table<Memo<netfilter::StringList>> chains;
  Table<Memo<std::vector<std::string>>> namespace_matches;
  Table<Memo<std::vector<netfilter::StringList>>> chain_groups;

  uint64_t next_number() { return ++last_number; }

  template <class Value>
  Entry<Value>& use(Table<Value>& table, const std::string& key) {
    Entry<Value>& entry = table[key];
    entry.used = pass;
    return entry;
  }

  void clear_memos() {
    pods.clear();
    policies.clear();
    versions.clear();
    arrivals.clear();
    selections.clear();
    port_groups.clear();
    sets.clear();
    chains.clear();
    chain_groups.clear();
    namespace_matches.clear();
  }
};

BuildCache::BuildCache() : state_(std::make_unique<State>()) {}
BuildCache::~BuildCache() = default;

void BuildCache::begin_pass(const NodeFacts& node) {
  ++state_->pass;
  if (!state_->node || state_->node->name != node.name ||
      state_->node->addresses != node.addresses) {
    state_->clear_memos();
    state_->node = node;
  }
}

void BuildCache::end_pass() {
  const uint64_t pass = state_->pass;
  // Memos first: selections point into pod entries.
  drop_unused(state_->selections, pass);
  drop_unused(state_->port_groups, pass);
  drop_unused(state_->sets, pass);
  drop_unused(state_->chains, pass);
  drop_unused(state_->chain_groups, pass);
  drop_unused(state_->namespace_matches, pass);
  drop_unused(state_->versions, pass);
  drop_unused(state_->arrivals, pass);
  drop_unused(state_->pods, pass);
  drop_unused(state_->policies, pass);
}

const PodEntry* BuildCache::pod(const std::shared_ptr<const k8s::Pod>& pod,
                                std::vector<Problem>& problems) {
  auto [it, inserted] = state_->pods.try_emplace(pod.get());
  it->second.used = state_->pass;
  State::PodItem& item = it->second.value;
  if (inserted) {
    item.object = pod;
    for (const std::string& ip : pod->pod_ips) {
      if (auto address = parse_address(ip)) {
        item.ips[static_cast<int>(address->family)].push_back(std::move(address->text));
      } else {
        item.problems.push_back({"pod", pod->meta.key(),
                                 fmt::format("status.podIPs entry '{}' is not an IP address", ip)});
      }
    }
    if (!item.ips[0].empty() || !item.ips[1].empty()) {
      item.entry = PodEntry{.pod = pod.get(),
                            .ns = pod->meta.namespace_.view(),
                            .name = pod->meta.name,
                            .ips = &item.ips,
                            .local = is_local(*pod, *state_->node),
                            .serial = state_->next_number()};
    }
  }
  problems.insert(problems.end(), item.problems.begin(), item.problems.end());
  return item.entry ? &*item.entry : nullptr;
}

const PodRules& BuildCache::pod_rules(const PodEntry& pod, Family f,
                                      const std::function<PodRules()>& make) {
  auto& slot = state_->pods.at(pod.pod).value.rules[static_cast<int>(f)];
  if (!slot) slot = make();
  return *slot;
}

const netfilter::StringList& BuildCache::pod_chain(
    const PodEntry& pod, Family f, const std::string& inputs,
    const std::function<std::vector<std::string>()>& make) {
  return refresh(state_->pods.at(pod.pod).value.chain[static_cast<int>(f)], inputs, make);
}

uint64_t BuildCache::jumps_arrival(const PodEntry& pod, Family f) {
  std::string key;
  append_text(key, pod.ns);
  append_text(key, pod.name);
  append_text(key, pod.ips_of(f).front());
  uint64_t& arrival = state_->use(state_->arrivals, key).value;
  if (arrival == 0) arrival = state_->next_number();
  return arrival;
}

const PolicyCompilation& BuildCache::policy(
    const std::shared_ptr<const k8s::NetworkPolicy>& policy) {
  auto [it, inserted] = state_->policies.try_emplace(policy.get());
  it->second.used = state_->pass;
  if (inserted) {
    it->second.value.object = policy;
    it->second.value.compiled = compile_policy(policy);
    if (it->second.value.compiled.policy) {
      it->second.value.compiled.policy->serial = state_->next_number();
    }
  }
  return it->second.value.compiled;
}

uint64_t BuildCache::version(const std::string& key, const std::string& inputs) {
  auto& memo = state_->use(state_->versions, key).value;
  if (!memo.made || memo.inputs != inputs) {
    memo.made = true;
    memo.inputs = inputs;
    memo.value = state_->next_number();
  }
  return memo.value;
}

const Selection& BuildCache::selection(
    const std::string& definition, const std::string& inputs,
    const std::function<std::vector<const PodEntry*>()>& select) {
  auto& entry = state_->use(state_->selections, definition);
  State::SelectionMemo& memo = entry.value;
  if (memo.selection.version != 0 && memo.inputs == inputs) {
    return memo.selection;  // same inputs: the same pods, all still present
  }
  memo.inputs = inputs;
  memo.selection.pods = select();
  std::string serials;
  serials.reserve(memo.selection.pods.size() * sizeof(uint64_t));
  for (const PodEntry* p : memo.selection.pods) append_version(serials, p->serial);
  if (memo.selection.version == 0 || serials != memo.serials) {
    memo.serials = std::move(serials);
    memo.selection.version = state_->next_number();
  }
  return memo.selection;
}

const BuildCache::PortGroups& BuildCache::port_groups(
    const std::string& key, const std::string& inputs,
    const std::function<std::map<int, std::vector<std::string>>()>& addresses,
    const std::function<std::string(int number)>& set_name) {
  auto& memo = state_->use(state_->port_groups, key).value;
  if (memo.made && memo.inputs == inputs) {
    return memo.value;
  }
  std::map<int, PortGroup> groups;
  bool same_members = memo.made;
  for (auto& [number, ips] : addresses()) {
    if (!std::is_sorted(ips.begin(), ips.end())) std::sort(ips.begin(), ips.end());
    ips.erase(std::unique(ips.begin(), ips.end()), ips.end());
    PortGroup& group = groups[number];
    const auto old = memo.value.by_number.find(number);
    if (old != memo.value.by_number.end()) {
      group = old->second;
      const netfilter::StringList before = group.members;
      keep_or_replace(group.members, std::move(ips));
      same_members = same_members && before.same_as(group.members);
    } else {
      group = PortGroup{set_name(number), std::move(ips)};
    }
  }
  const bool same_numbers =
      memo.made && std::equal(groups.begin(), groups.end(), memo.value.by_number.begin(),
                              memo.value.by_number.end(),
                              [](const auto& a, const auto& b) { return a.first == b.first; });
  memo.value.by_number = std::move(groups);
  if (!same_numbers) memo.value.numbers_version = state_->next_number();
  if (!same_numbers || !same_members) memo.value.version = state_->next_number();
  memo.made = true;
  memo.inputs = inputs;
  return memo.value;
}

const netfilter::StringList& BuildCache::set_members(
    const std::string& set, const std::string& inputs,
    const std::function<std::vector<std::string>()>& make) {
  return refresh(state_->use(state_->sets, set).value, inputs, make);
}

const netfilter::StringList& BuildCache::policy_chain(
    const std::string& chain, const std::string& inputs,
    const std::function<std::vector<std::string>()>& make) {
  return refresh(state_->use(state_->chains, chain).value, inputs, make);
}

const std::vector<std::string>& BuildCache::matching_namespaces(
    const std::string& selector, uint64_t namespaces_version,
    const std::function<std::vector<std::string>()>& match) {
  auto& memo = state_->use(state_->namespace_matches, selector).value;
  std::string inputs;
  append_version(inputs, namespaces_version);
  if (!memo.made || memo.inputs != inputs) {
    memo.value = match();
    memo.made = true;
    memo.inputs = std::move(inputs);
  }
  return memo.value;
}

const std::vector<netfilter::StringList>& BuildCache::chains(
    const std::string& key, const std::string& inputs,
    const std::function<std::vector<std::vector<std::string>>()>& make) {
  auto& memo = state_->use(state_->chain_groups, key).value;
  if (!memo.made || memo.inputs != inputs) {
    std::vector<std::vector<std::string>> made = make();
    memo.value.resize(made.size());
    for (size_t i = 0; i < made.size(); ++i) {
      keep_or_replace(memo.value[i], std::move(made[i]));
    }
    memo.made = true;
    memo.inputs = inputs;
  }
  return memo.value;
}

}  // namespace kr::netpol
