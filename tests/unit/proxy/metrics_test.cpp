// The proxy's scrape-time metrics (proxy.md §13, health-metrics.md §6.3).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "controllers/proxy/proxy_metrics.h"
#include "fake_ipvs.h"
#include "observe/registry.h"

namespace kr::proxy {
namespace {

using testing::FakeIpvs;

const observe::FamilySnapshot* find(const std::vector<observe::FamilySnapshot>& families,
                                    std::string_view name) {
  for (const auto& f : families) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

ipvs::Service service(std::string_view address, std::uint16_t port, std::uint64_t connections) {
  ipvs::Service s;
  s.key.address = IpAddress::must_parse(address);
  s.key.port = port;
  s.stats.connections = connections;
  s.stats.bps_in = 1000;
  return s;
}

TEST(ProxyMetrics, ServicesAreLabelledWithTheirOwnerAndOthersOnlyCounted) {
  observe::Registry registry;
  FakeIpvs* kernel = nullptr;
  ProxyMetrics metrics(registry, [&] {
    auto ipvs = std::make_unique<FakeIpvs>();
    kernel = ipvs.get();
    return ipvs;
  });
  metrics.collect();  // opens the handle
  ASSERT_NE(kernel, nullptr);
  kernel->add_service(service("10.96.0.50", 80, 7));
  kernel->add_service(service("192.0.2.1", 443, 3));  // not ours
  const ServiceId web{"default", "web"};
  metrics.set_owner({IpAddress::must_parse("10.96.0.50"), ipvs::Protocol::kTcp, 80}, &web);

  const auto families = registry.collect();
  const auto* total = find(families, "kube_router_service_total_connections");
  ASSERT_NE(total, nullptr);
  EXPECT_EQ(total->type, observe::MetricType::kCounter);
  EXPECT_THAT(total->label_names, ::testing::ElementsAre("svc_namespace", "service_name",
                                                         "service_vip", "protocol", "port"));
  ASSERT_EQ(total->samples.size(), 1u);
  EXPECT_THAT(total->samples[0].label_values,
              ::testing::ElementsAre("default", "web", "10.96.0.50", "tcp", "80"));
  EXPECT_EQ(total->samples[0].value, 7);
  const auto* bps = find(families, "kube_router_service_bps_in");
  ASSERT_NE(bps, nullptr);
  EXPECT_EQ(bps->type, observe::MetricType::kGauge);
  EXPECT_EQ(bps->samples[0].value, 1000);
  const auto* count = find(families, "kube_router_controller_ipvs_services");
  ASSERT_NE(count, nullptr);
  EXPECT_EQ(count->samples[0].value, 2);
  EXPECT_NE(find(families, "kube_router_controller_ipvs_metrics_export_time"), nullptr);

  metrics.set_owner({IpAddress::must_parse("10.96.0.50"), ipvs::Protocol::kTcp, 80}, nullptr);
  EXPECT_EQ(find(registry.collect(), "kube_router_service_total_connections"), nullptr);
}

TEST(ProxyMetrics, NothingWhenIpvsCannotBeRead) {
  observe::Registry registry;
  ProxyMetrics metrics(registry, []() -> std::unique_ptr<ipvs::Ipvs> {
    throw std::runtime_error("resolve generic netlink family IPVS: No such file or directory");
  });
  EXPECT_TRUE(metrics.collect().empty());
}

}  // namespace
}  // namespace kr::proxy
