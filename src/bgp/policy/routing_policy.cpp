#include "bgp/policy/routing_policy.h"

#include <fmt/format.h>

namespace kr::bgp::policy {
namespace {

template <class Set>
std::optional<std::string> index_sets(const std::vector<Set>& sets, const char* kind,
                                      std::map<std::string, const Set*>& out) {
  for (const Set& s : sets) {
    if (s.name().empty()) return fmt::format("{} set with an empty name", kind);
    if (!out.emplace(s.name(), &s).second) {
      return fmt::format("duplicate {} set \"{}\"", kind, s.name());
    }
  }
  return std::nullopt;
}

}  // namespace

std::variant<PolicyPtr, std::string> RoutingPolicy::build(PolicyConfig config) {
  std::shared_ptr<RoutingPolicy> rp(new RoutingPolicy());
  rp->config_ = std::move(config);
  const PolicyConfig& cfg = rp->config_;
  if (auto e = index_sets(cfg.prefix_sets, "prefix", rp->prefix_sets_)) return *e;
  if (auto e = index_sets(cfg.neighbor_sets, "neighbor", rp->neighbor_sets_)) return *e;

  std::map<std::string, const Policy*> policies;
  for (const Policy& p : cfg.policies) {
    if (!policies.emplace(p.name, &p).second) return fmt::format("duplicate policy \"{}\"", p.name);
  }
  auto bind = [&](const std::vector<std::string>& names, bool default_accept,
                  DirectionTable& table) -> std::optional<std::string> {
    table.default_accept = default_accept;
    for (const std::string& name : names) {
      auto it = policies.find(name);
      if (it == policies.end()) return fmt::format("unknown policy \"{}\"", name);
      for (const Statement& st : it->second->statements) {
        BoundStatement b{&st, nullptr, nullptr};
        const Conditions& c = st.conditions;
        if (!c.prefix_set.empty()) {
          auto s = rp->prefix_sets_.find(c.prefix_set);
          if (s == rp->prefix_sets_.end()) {
            return fmt::format(R"(statement "{}" of policy "{}": unknown prefix set "{}")", st.name,
                               name, c.prefix_set);
          }
          b.prefix_set = s->second;
        }
        if (!c.neighbor_set.empty()) {
          auto s = rp->neighbor_sets_.find(c.neighbor_set);
          if (s == rp->neighbor_sets_.end()) {
            return fmt::format(R"(statement "{}" of policy "{}": unknown neighbor set "{}")",
                               st.name, name, c.neighbor_set);
          }
          b.neighbor_set = s->second;
        }
        if (st.actions.prepend_count > 0 && st.actions.prepend_asn == 0) {
          return fmt::format(R"(statement "{}" of policy "{}": AS-path prepend of AS 0)", st.name,
                             name);
        }
        table.statements.push_back(b);
      }
    }
    if (table.statements.size() > kMaxStatementsPerDirection) {
      return fmt::format("{} statements assigned to one direction (at most {})",
                         table.statements.size(), kMaxStatementsPerDirection);
    }
    return std::nullopt;
  };
  if (auto e = bind(cfg.import_policies, cfg.import_default_accept, rp->import_)) return *e;
  if (auto e = bind(cfg.export_policies, cfg.export_default_accept, rp->export_)) return *e;
  return PolicyPtr(std::move(rp));
}

PolicyPtr RoutingPolicy::accept_all() {
  static const PolicyPtr kAcceptAll = std::get<PolicyPtr>(build(PolicyConfig{}));
  return kAcceptAll;
}

Decision RoutingPolicy::evaluate(Direction dir, const RouteView& route) const {
  const DirectionTable& t = table(dir);
  Decision d;
  for (std::size_t i = 0; i < t.statements.size(); ++i) {
    const BoundStatement& b = t.statements[i];
    if (!b.matches(route)) continue;
    const Actions& a = b.statement->actions;
    if (a.modifies_attributes()) d.applied |= uint64_t{1} << i;
    if (a.disposition != Disposition::kNone) {
      d.accept = a.disposition == Disposition::kAccept;
      if (!d.accept) d.applied = 0;
      return d;
    }
  }
  d.accept = t.default_accept;
  if (!d.accept) d.applied = 0;
  return d;
}

AttrSetPtr RoutingPolicy::apply(Direction dir, uint64_t applied, const AttrSetPtr& attrs,
                                const ActionContext& ctx) const {
  if (applied == 0) return attrs;
  const DirectionTable& t = table(dir);
  auto out = std::make_shared<PathAttributes>(attrs ? *attrs : PathAttributes{});
  for (std::size_t i = 0; i < t.statements.size(); ++i) {
    if ((applied & (uint64_t{1} << i)) != 0) {
      apply_actions(t.statements[i].statement->actions, ctx, *out);
    }
  }
  if (attrs && *out == *attrs) return attrs;
  return out;
}

}  // namespace kr::bgp::policy
