#include "app/api_metrics.h"

#include <array>
#include <string>
#include <utility>
#include <vector>

namespace kr::app {
namespace {

using observe::FamilySnapshot;
using observe::MetricType;

struct Resource {
  const char* name;  // the API resource, as in the URL
  const k8s::KindMetrics& metrics;
};

using Reader = double (*)(const k8s::KindMetrics&);

struct Figure {
  const char* name;
  const char* help;
  MetricType type;
  Reader read;
};

constexpr std::array kFigures = {
    Figure{"kube_router_api_list_duration_seconds_total",
           "Total time spent in complete LISTs (all pages) of the resource.", MetricType::kCounter,
           [](const k8s::KindMetrics& m) { return m.list_seconds_total.load(); }},
    Figure{"kube_router_api_lists_total", "Complete LISTs of the resource.", MetricType::kCounter,
           [](const k8s::KindMetrics& m) { return static_cast<double>(m.lists_total.load()); }},
    Figure{"kube_router_api_last_list_duration_seconds",
           "Duration of the latest complete LIST of the resource.", MetricType::kGauge,
           [](const k8s::KindMetrics& m) { return m.last_list_seconds.load(); }},
    Figure{"kube_router_api_watch_restarts_total",
           "Watches of the resource re-opened after they ended (timeout, drop or error).",
           MetricType::kCounter,
           [](const k8s::KindMetrics& m) {
             return static_cast<double>(m.watch_restarts_total.load());
           }},
    Figure{"kube_router_api_relists_total",
           "LISTs forced by 410 Gone (expired resourceVersion), after the first LIST.",
           MetricType::kCounter,
           [](const k8s::KindMetrics& m) { return static_cast<double>(m.relists_total.load()); }},
    Figure{"kube_router_api_objects_cached", "Objects of the resource in the informer cache.",
           MetricType::kGauge,
           [](const k8s::KindMetrics& m) { return static_cast<double>(m.objects_cached.load()); }},
    Figure{"kube_router_api_decode_errors_total",
           "Malformed object versions of the resource skipped by the informer.",
           MetricType::kCounter,
           [](const k8s::KindMetrics& m) {
             return static_cast<double>(m.decode_errors_total.load());
           }},
};

std::vector<FamilySnapshot> collect(const k8s::ClientMetrics& metrics) {
  const std::array<Resource, 6> resources = {{
      {"endpointslices", metrics.endpoint_slices},
      {"namespaces", metrics.namespaces},
      {"networkpolicies", metrics.network_policies},
      {"nodes", metrics.nodes},
      {"pods", metrics.pods},
      {"services", metrics.services},
  }};
  std::vector<FamilySnapshot> families;
  families.reserve(kFigures.size());
  for (const Figure& figure : kFigures) {
    FamilySnapshot family{
        .name = figure.name, .help = figure.help, .type = figure.type, .label_names = {"resource"}};
    for (const Resource& resource : resources) {
      family.samples.push_back(
          {.label_values = {resource.name}, .value = figure.read(resource.metrics)});
    }
    families.push_back(std::move(family));
  }
  return families;
}

}  // namespace

observe::CollectorHandle add_api_client_collector(observe::Registry& registry,
                                                  const k8s::ClientMetrics& metrics) {
  return registry.add_collector([&metrics] { return collect(metrics); });
}

}  // namespace kr::app
