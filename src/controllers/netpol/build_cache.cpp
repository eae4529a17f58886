#include "controllers/netpol/build_cache.h"

#include <fmt/format.h>

#include <map>
#include <tuple>

namespace kr::netpol {
namespace {

template <class Value>
struct Entry {
  Value value;
  uint64_t used = 0;  // the pass that last used it
};

template <class Map>
void drop_unused(Map& map, uint64_t pass) {
  std::erase_if(map, [pass](const auto& item) { return item.second.used != pass; });
}

}  // namespace

struct BuildCache::State {
  uint64_t pass = 0;
  struct PodItem {
    std::shared_ptr<const k8s::Pod> object;  // keeps the key's address from being reused
    PodCompilation compiled;
    std::array<std::optional<PodRules>, 2> rules;
  };
  struct PolicyItem {
    std::shared_ptr<const k8s::NetworkPolicy> object;
    PolicyCompilation compiled;
  };
  struct Chain {
    bool made = false;
    std::string signature;
    std::vector<std::string> rules;
  };
  std::unordered_map<const k8s::Pod*, Entry<PodItem>> pods;
  std::unordered_map<const k8s::NetworkPolicy*, Entry<PolicyItem>> policies;
  std::unordered_map<std::string, Entry<std::string>> names;
  std::map<std::tuple<const CompiledPolicy*, Direction, Family>, Entry<Chain>> chains;
};

BuildCache::BuildCache() : state_(std::make_unique<State>()) {}
BuildCache::~BuildCache() = default;

void BuildCache::begin_pass() { ++state_->pass; }

void BuildCache::end_pass() {
  // Chains first: their keys point into policy entries.
  drop_unused(state_->chains, state_->pass);
  drop_unused(state_->pods, state_->pass);
  drop_unused(state_->policies, state_->pass);
  drop_unused(state_->names, state_->pass);
}

const PodCompilation& BuildCache::pod(const std::shared_ptr<const k8s::Pod>& pod) {
  auto [it, inserted] = state_->pods.try_emplace(pod.get());
  it->second.used = state_->pass;
  State::PodItem& item = it->second.value;
  if (inserted) {
    item.object = pod;
    for (const std::string& ip : pod->pod_ips) {
      if (auto address = parse_address(ip)) {
        item.compiled.ips[static_cast<int>(address->family)].push_back(std::move(address->text));
      } else {
        item.compiled.problems.push_back(
            {"pod", pod->meta.key(),
             fmt::format("status.podIPs entry '{}' is not an IP address", ip)});
      }
    }
  }
  return item.compiled;
}

const PodRules& BuildCache::pod_rules(const k8s::Pod* pod, Family f,
                                      const std::function<PodRules()>& make) {
  auto& slot = state_->pods.at(pod).value.rules[static_cast<int>(f)];
  if (!slot) slot = make();
  return *slot;
}

const PolicyCompilation& BuildCache::policy(
    const std::shared_ptr<const k8s::NetworkPolicy>& policy) {
  auto [it, inserted] = state_->policies.try_emplace(policy.get());
  it->second.used = state_->pass;
  if (inserted) {
    it->second.value.object = policy;
    it->second.value.compiled = compile_policy(policy);
  }
  return it->second.value.compiled;
}

const std::string& BuildCache::name(const std::string& key,
                                    const std::function<std::string()>& make) {
  auto [it, inserted] = state_->names.try_emplace(key);
  it->second.used = state_->pass;
  if (inserted) it->second.value = make();
  return it->second.value;
}

const std::vector<std::string>& BuildCache::policy_chain(
    const CompiledPolicy* policy, Direction d, Family f, const std::string& signature,
    const std::function<std::vector<std::string>()>& make) {
  auto& entry = state_->chains[{policy, d, f}];
  entry.used = state_->pass;
  if (!entry.value.made || entry.value.signature != signature) {
    entry.value.made = true;
    entry.value.signature = signature;
    entry.value.rules = make();
  }
  return entry.value.rules;
}

}  // namespace kr::netpol
