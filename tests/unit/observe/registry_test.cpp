#include "observe/registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <thread>

namespace kr::observe {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const FamilySnapshot* find_family(const std::vector<FamilySnapshot>& families,
                                  std::string_view name) {
  for (const auto& family : families) {
    if (family.name == name) {
      return &family;
    }
  }
  return nullptr;
}

std::vector<std::string> names_of(const std::vector<FamilySnapshot>& families) {
  std::vector<std::string> out;
  out.reserve(families.size());
  for (const auto& family : families) {
    out.push_back(family.name);
  }
  return out;
}

TEST(Counter, CountsUpAndIgnoresNegativeAndNaNAmounts) {
  Counter counter;
  EXPECT_EQ(counter.value(), 0);
  counter.inc();
  counter.inc(2.5);
  counter.inc(-10);
  counter.inc(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(counter.value(), 3.5);
}

TEST(Gauge, GoesUpAndDown) {
  Gauge gauge;
  gauge.set(10);
  gauge.inc();
  gauge.dec();
  gauge.dec();
  gauge.add(0.5);
  EXPECT_EQ(gauge.value(), 9.5);
}

TEST(Histogram, BucketsAreUpperInclusiveAndCumulative) {
  Histogram histogram({0.1, 1, 10});
  histogram.observe(0.1);                                       // le=0.1 includes its bound
  histogram.observe(0.5);                                       // le=1
  histogram.observe(1);                                         // le=1
  histogram.observe(11);                                        // only +Inf
  histogram.observe(std::numeric_limits<double>::quiet_NaN());  // ignored
  const auto snapshot = histogram.snapshot();
  EXPECT_THAT(snapshot.upper_bounds, ElementsAre(0.1, 1, 10));
  EXPECT_THAT(snapshot.cumulative_counts, ElementsAre(1u, 3u, 3u));
  EXPECT_EQ(snapshot.count, 4u);
  EXPECT_DOUBLE_EQ(snapshot.sum, 12.6);
}

TEST(Histogram, ObservesDurationsInSeconds) {
  Histogram histogram(default_buckets());
  histogram.observe(std::chrono::milliseconds(30));
  const auto snapshot = histogram.snapshot();
  EXPECT_DOUBLE_EQ(snapshot.sum, 0.03);
  // 0.03 s is above the 0.025 bucket and within 0.05.
  EXPECT_EQ(snapshot.cumulative_counts[2], 0u);
  EXPECT_EQ(snapshot.cumulative_counts[3], 1u);
}

TEST(Histogram, DefaultBucketsArePrometheusDefaults) {
  EXPECT_THAT(default_buckets(),
              ElementsAre(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10));
}

TEST(Registry, UnlabelledMetricsAreExposedAtZeroBeforeFirstUse) {
  Registry registry;
  registry.counter("kube_router_test_total", "help");
  registry.histogram("kube_router_test_seconds", "help");
  const auto families = registry.collect();
  ASSERT_EQ(families.size(), 2u);
  EXPECT_EQ(families[0].samples.size(), 1u);
  EXPECT_EQ(families[0].samples[0].value, 0);
  EXPECT_EQ(families[1].samples[0].histogram.count, 0u);
}

TEST(Registry, SameRegistrationTwiceReturnsTheSameMetric) {
  Registry registry;
  Counter& first = registry.counter("kube_router_test_total", "help");
  Counter& second = registry.counter("kube_router_test_total", "help");
  EXPECT_EQ(&first, &second);
  GaugeFamily& family = registry.gauge_family("kube_router_peers", "help", {"address"});
  EXPECT_EQ(&family, &registry.gauge_family("kube_router_peers", "help", {"address"}));
}

TEST(Registry, ConflictingRegistrationThrowsNamingTheMetric) {
  Registry registry;
  registry.counter("kube_router_test_total", "help");
  try {
    registry.gauge("kube_router_test_total", "help");
    FAIL() << "registering a counter name as a gauge must throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("kube_router_test_total"));
    EXPECT_THAT(e.what(), HasSubstr("counter"));
  }
  EXPECT_THROW(registry.counter("kube_router_test_total", "other help"), std::invalid_argument);
  EXPECT_THROW(registry.counter_family("kube_router_test_total", "help", {"a"}),
               std::invalid_argument);
  registry.histogram("kube_router_test_seconds", "help");
  EXPECT_THROW(registry.histogram("kube_router_test_seconds", "help", {1, 2}),
               std::invalid_argument);
}

TEST(Registry, RejectsInvalidNamesAndBuckets) {
  Registry registry;
  EXPECT_THROW(registry.counter("kube-router-total", "help"), std::invalid_argument);
  EXPECT_THROW(registry.counter("", "help"), std::invalid_argument);
  EXPECT_THROW(registry.gauge_family("kube_router_g", "help", {"__reserved"}),
               std::invalid_argument);
  EXPECT_THROW(registry.gauge_family("kube_router_g", "help", {"a", "a"}), std::invalid_argument);
  EXPECT_THROW(registry.histogram_family("kube_router_h", "help", {"le"}), std::invalid_argument);
  EXPECT_THROW(registry.gauge_family("kube_router_g", "help", {}), std::invalid_argument);
  EXPECT_THROW(registry.histogram("kube_router_h", "help", {1, 1}), std::invalid_argument);
  EXPECT_THROW(registry.histogram("kube_router_h", "help", {}), std::invalid_argument);
  EXPECT_THROW(registry.histogram("kube_router_h", "help", {1, INFINITY}), std::invalid_argument);
  EXPECT_TRUE(registry.collect().empty());
}

TEST(Family, SameLabelValuesShareOneChild) {
  Registry registry;
  auto& sent =
      registry.counter_family("kube_router_controller_bgp_advertisements_sent", "help", {"type"});
  sent.with_labels({"pod-route"})->inc();
  sent.with_labels(std::vector<std::string>{"pod-route"})->inc();
  sent.with_labels({"advertise-vip"})->inc();
  const auto families = registry.collect();
  ASSERT_EQ(families.size(), 1u);
  ASSERT_EQ(families[0].samples.size(), 2u);
  EXPECT_THAT(families[0].samples[0].label_values, ElementsAre("advertise-vip"));
  EXPECT_EQ(families[0].samples[0].value, 1);
  EXPECT_THAT(families[0].samples[1].label_values, ElementsAre("pod-route"));
  EXPECT_EQ(families[0].samples[1].value, 2);
}

TEST(Family, WrongNumberOfLabelValuesThrowsNamingTheMetric) {
  Registry registry;
  auto& family = registry.gauge_family("kube_router_bgp_peer_info", "help", {"address", "type"});
  try {
    family.with_labels({"10.0.0.1"});
    FAIL() << "one value for two labels must throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("kube_router_bgp_peer_info"));
  }
}

TEST(Family, ResetAndRemoveDropSeriesAndDetachKeptChildren) {
  Registry registry;
  auto& peers = registry.gauge_family("kube_router_bgp_peer_info", "help", {"address"});
  auto kept = peers.with_labels({"10.0.0.1"});
  kept->set(1);
  peers.with_labels({"10.0.0.2"})->set(1);
  peers.remove({"10.0.0.2"});
  ASSERT_EQ(registry.collect()[0].samples.size(), 1u);

  peers.reset();
  kept->set(5);  // detached: no longer exposed, and no crash
  EXPECT_TRUE(registry.collect().empty()) << "a family without series is left out";
  EXPECT_EQ(peers.with_labels({"10.0.0.1"})->value(), 0) << "re-created fresh after reset";
}

TEST(Registry, CollectSortsFamiliesByName) {
  Registry registry;
  registry.gauge("kube_router_b", "help");
  registry.gauge("kube_router_a", "help");
  auto handle = registry.add_collector([] {
    return std::vector<FamilySnapshot>{
        {.name = "kube_router_0", .type = MetricType::kGauge, .samples = {{.value = 1}}}};
  });
  EXPECT_THAT(names_of(registry.collect()),
              ElementsAre("kube_router_0", "kube_router_a", "kube_router_b"));
}

TEST(Registry, CollectorsRunAtScrapeAndStopWithTheirHandle) {
  Registry registry;
  int scrapes = 0;
  {
    auto handle = registry.add_collector([&scrapes] {
      ++scrapes;
      return std::vector<FamilySnapshot>{{.name = "kube_router_controller_ipvs_services",
                                          .help = "Number of ipvs services in the instance",
                                          .type = MetricType::kGauge,
                                          .samples = {{.value = 3}}}};
    });
    const auto families = registry.collect();
    ASSERT_NE(find_family(families, "kube_router_controller_ipvs_services"), nullptr);
    EXPECT_EQ(scrapes, 1);
  }
  EXPECT_TRUE(registry.collect().empty());
  EXPECT_EQ(scrapes, 1);
}

TEST(Registry, CollectorSamplesAreSortedByLabelValues) {
  Registry registry;
  auto handle = registry.add_collector([] {
    return std::vector<FamilySnapshot>{{.name = "kube_router_service_cps",
                                        .type = MetricType::kGauge,
                                        .label_names = {"service_name"},
                                        .samples = {{.label_values = {"web"}, .value = 1},
                                                    {.label_values = {"api"}, .value = 2}}}};
  });
  const auto families = registry.collect();
  ASSERT_EQ(families.size(), 1u);
  EXPECT_THAT(families[0].samples[0].label_values, ElementsAre("api"));
  EXPECT_THAT(families[0].samples[1].label_values, ElementsAre("web"));
}

TEST(Registry, BadCollectorOutputIsDroppedAndTheRestStillServed) {
  Registry registry;
  registry.gauge("kube_router_registered", "help").set(1);
  auto throwing = registry.add_collector(
      []() -> std::vector<FamilySnapshot> { throw std::runtime_error("ipvs handle failed"); });
  auto invalid = registry.add_collector([] {
    return std::vector<FamilySnapshot>{
        // Two label names but one value.
        {.name = "kube_router_bad_arity",
         .label_names = {"a", "b"},
         .samples = {{.label_values = {"x"}}}},
        {.name = "kube-router-bad-name", .samples = {{.value = 1}}},
        // Duplicates a registered name.
        {.name = "kube_router_registered", .samples = {{.value = 2}}},
        {.name = "kube_router_good", .samples = {{.value = 3}}}};
  });
  EXPECT_THAT(names_of(registry.collect()),
              ElementsAre("kube_router_good", "kube_router_registered"));
  EXPECT_EQ(find_family(registry.collect(), "kube_router_registered")->samples[0].value, 1);
}

TEST(Registry, ConcurrentUpdatesAreNotLost) {
  Registry registry;
  Counter& counter = registry.counter("kube_router_test_total", "help");
  Histogram& histogram = registry.histogram("kube_router_test_seconds", "help");
  auto& family = registry.counter_family("kube_router_test_labelled_total", "help", {"worker"});
  constexpr int kThreads = 4;
  constexpr int kIterations = 20000;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kIterations; ++i) {
        counter.inc();
        histogram.observe(0.5);
        family.with_labels({t % 2 == 0 ? "even" : "odd"})->inc();
        if (i % 1000 == 0) {
          registry.collect();  // scrapes racing with updates
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(counter.value(), kThreads * kIterations);
  EXPECT_EQ(histogram.snapshot().count, static_cast<std::uint64_t>(kThreads * kIterations));
  EXPECT_EQ(family.with_labels({"even"})->value(), kThreads / 2 * kIterations);
}

TEST(MetricSnapshot, ValidatesNames) {
  EXPECT_TRUE(is_valid_metric_name("kube_router:recorded_total"));
  EXPECT_FALSE(is_valid_metric_name("0kube_router"));
  EXPECT_FALSE(is_valid_metric_name("kube router"));
  EXPECT_TRUE(is_valid_label_name("svc_namespace"));
  EXPECT_FALSE(is_valid_label_name("svc:namespace"));
  EXPECT_FALSE(is_valid_label_name("__name__"));
}

TEST(MetricSnapshot, RejectsNonCumulativeHistograms) {
  FamilySnapshot family{.name = "kube_router_h_seconds", .type = MetricType::kHistogram};
  family.samples.push_back(
      {.histogram = {.upper_bounds = {1, 2}, .cumulative_counts = {3, 1}, .count = 3}});
  const auto problem = validate_family(family);
  ASSERT_TRUE(problem.has_value());
  EXPECT_THAT(*problem, HasSubstr("kube_router_h_seconds"));
}

}  // namespace
}  // namespace kr::observe
