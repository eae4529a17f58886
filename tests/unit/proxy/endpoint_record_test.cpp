// Reading EndpointSlices (proxy.md §1.4): which slices count, which endpoints are used, how a
// slice finds its Service.
#include "controllers/proxy/endpoint_record.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fixtures.h"
#include "fmt/format.h"

namespace kr::proxy {
namespace {

using ::testing::ElementsAre;
using testing::EndpointSpec;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::slice;

using Slices = std::vector<std::shared_ptr<const k8s::EndpointSlice>>;

std::vector<std::string> describe(const EndpointsByPort& by_port) {
  std::vector<std::string> out;
  for (const auto& [name, list] : by_port) {
    for (const EndpointRecord& e : list) {
      out.push_back(fmt::format("{}: {}:{}{}{}", name, e.ip.to_string(), e.port,
                                e.local ? " local" : "", e.terminating ? " terminating" : ""));
    }
  }
  return out;
}

TEST(EndpointRecord, ReadyOrServingEndpointsAreUsed) {
  const Slices slices{slice(
      "default", "web-1", "web", {{"http", 8080}},
      {{.ip = "10.244.1.5"},
       {.ip = "10.244.2.7", .node = "node-b"},
       {.ip = "10.244.2.8", .node = "node-b", .ready = false, .serving = true, .terminating = true},
       {.ip = "10.244.2.9", .node = "node-b", .ready = false, .serving = false},
       {.ip = "10.244.2.10",
        .node = "node-b",
        .ready = std::nullopt,
        .serving = std::nullopt,
        .terminating = std::nullopt}})};
  const auto r = read_endpoints(slices, "node-a");
  EXPECT_THAT(describe(r.by_port),
              ElementsAre("http: 10.244.1.5:8080 local", "http: 10.244.2.7:8080",
                          "http: 10.244.2.8:8080 terminating", "http: 10.244.2.10:8080"));
  EXPECT_THAT(r.problems, IsEmpty());
}

TEST(EndpointRecord, EveryPortOfASliceGetsEveryAddress) {
  const Slices slices{slice("default", "dns-1", "dns", {{"dns", 53}, {"dns-tcp", 53}, {"", 9153}},
                            {{.ip = "10.244.1.2"}})};
  EXPECT_THAT(describe(read_endpoints(slices, "node-a").by_port),
              ElementsAre(": 10.244.1.2:9153 local", "dns: 10.244.1.2:53 local",
                          "dns-tcp: 10.244.1.2:53 local"));
}

TEST(EndpointRecord, SlicesOfOneServiceAccumulateAndDuplicatesCollapse) {
  const Slices slices{
      slice("default", "web-1", "web", {{"http", 8080}}, {{.ip = "10.244.1.5"}}),
      slice("default", "web-2", "web", {{"http", 8080}},
            {{.ip = "10.244.1.5"}, {.ip = "10.244.3.3", .node = "node-c"}}),
      slice("default", "web-v6", "web", {{"http", 8080}}, {{.ip = "fd00:244:1::5"}})};
  EXPECT_THAT(describe(read_endpoints(slices, "node-a").by_port),
              ElementsAre("http: 10.244.1.5:8080 local", "http: 10.244.3.3:8080",
                          "http: fd00:244:1::5:8080 local"));
}

TEST(EndpointRecord, IgnoredSlices) {
  auto headless = std::make_shared<k8s::EndpointSlice>(
      *slice("default", "h", "h", {{"", 80}}, {{.ip = "10.244.1.5"}}));
  headless->meta.labels.set("service.kubernetes.io/headless", "");
  EXPECT_TRUE(slice_ignored(*headless));

  auto leader = std::make_shared<k8s::EndpointSlice>(*slice("kube-system", "l", "l", {}, {}));
  leader->meta.annotations.set(k8s::kLeaderAnnotation, "{}");
  EXPECT_TRUE(slice_ignored(*leader));

  auto fqdn = std::make_shared<k8s::EndpointSlice>(
      *slice("default", "f", "f", {{"", 80}}, {{.ip = "example.com"}}));
  fqdn->address_type = k8s::Interned("FQDN");
  EXPECT_TRUE(slice_ignored(*fqdn));

  EXPECT_FALSE(slice_ignored(*slice("default", "ok", "ok", {{"", 80}}, {{.ip = "10.0.0.1"}})));
  const Slices all{headless, leader, fqdn};
  EXPECT_THAT(read_endpoints(all, "node-a").by_port, IsEmpty());
}

TEST(EndpointRecord, AddressesOfTheWrongFamilyAndPortsWithoutNumberAreReported) {
  auto s = std::make_shared<k8s::EndpointSlice>(
      *slice("default", "s", "svc", {{"http", 80}}, {{.ip = "10.244.1.5"}}));
  s->endpoints.push_back(s->endpoints.front());
  s->endpoints.back().addresses = {"fd00::1"};
  k8s::EndpointPort all_ports;
  all_ports.name = k8s::Interned("any");
  s->ports.push_back(all_ports);
  const Slices slices{s};
  const auto r = read_endpoints(slices, "node-a");
  EXPECT_THAT(describe(r.by_port), ElementsAre("http: 10.244.1.5:80 local"));
  EXPECT_THAT(r.problems, ElementsAre(HasSubstr("port \"any\" has no usable number"),
                                      HasSubstr("\"fd00::1\" is not IPv4")));
}

TEST(EndpointRecord, OwningServicePrecedence) {
  k8s::EndpointSlice s;
  s.meta.namespace_ = k8s::Interned("ns");
  EXPECT_FALSE(owning_service(s));
  s.generate_name = "from-generate-";
  EXPECT_EQ(owning_service(s)->name, "from-generate");
  s.owner_references = {{k8s::Interned("Service"), "from-owner"}};
  EXPECT_EQ(owning_service(s)->name, "from-owner");
  s.owner_references.push_back({k8s::Interned("Service"), "second-owner"});
  EXPECT_EQ(owning_service(s)->name, "from-generate");  // only a single owner counts
  s.meta.labels.set(k8s::kServiceNameLabel, "from-label");
  EXPECT_EQ(owning_service(s), (ServiceId{"ns", "from-label"}));
}

}  // namespace
}  // namespace kr::proxy
