#include "observe/exposition.h"

#include <gtest/gtest.h>

#include <limits>

#include "observe/registry.h"

namespace kr::observe {
namespace {

TEST(Exposition, ContentTypeIsTextFormat004) {
  EXPECT_EQ(kTextFormatContentType, "text/plain; version=0.0.4; charset=utf-8");
}

TEST(Exposition, RendersCountersAndGaugesWithHelpAndType) {
  Registry registry;
  registry.counter("kube_router_host_routes_added", "Number of routes added").inc(3);
  registry.gauge("kube_router_host_routes_synced", "Count of routes synced").set(12);
  EXPECT_EQ(render_text_format(registry.collect()),
            "# HELP kube_router_host_routes_added Number of routes added\n"
            "# TYPE kube_router_host_routes_added counter\n"
            "kube_router_host_routes_added 3\n"
            "# HELP kube_router_host_routes_synced Count of routes synced\n"
            "# TYPE kube_router_host_routes_synced gauge\n"
            "kube_router_host_routes_synced 12\n");
}

TEST(Exposition, EscapesLabelValuesAndHelp) {
  Registry registry;
  registry
      .gauge_family("kube_router_test_info", "Help with \\ backslash\nand \"quotes\"",
                    {"path", "note"})
      .with_labels({"C:\\dir", "say \"hi\"\nbye"})
      ->set(1);
  // Help escapes backslash and newline only; label values also escape the double quote.
  EXPECT_EQ(render_text_format(registry.collect()),
            "# HELP kube_router_test_info Help with \\\\ backslash\\nand \"quotes\"\n"
            "# TYPE kube_router_test_info gauge\n"
            "kube_router_test_info{path=\"C:\\\\dir\",note=\"say \\\"hi\\\"\\nbye\"} 1\n");
}

TEST(Exposition, RendersLabelledSeriesInLabelOrder) {
  Registry registry;
  auto& peers = registry.gauge_family("kube_router_bgp_peer_info", "BGP peer information",
                                      {"address", "type", "asn", "state"});
  peers.with_labels({"10.0.0.2", "external", "65001", "idle"})->set(1);
  peers.with_labels({"10.0.0.1", "internal", "64512", "established"})->set(1);
  EXPECT_EQ(render_text_format(registry.collect()),
            "# HELP kube_router_bgp_peer_info BGP peer information\n"
            "# TYPE kube_router_bgp_peer_info gauge\n"
            "kube_router_bgp_peer_info{address=\"10.0.0.1\",type=\"internal\",asn=\"64512\","
            "state=\"established\"} 1\n"
            "kube_router_bgp_peer_info{address=\"10.0.0.2\",type=\"external\",asn=\"65001\","
            "state=\"idle\"} 1\n");
}

TEST(Exposition, RendersHistogramBucketsSumAndCount) {
  Registry registry;
  auto& histogram =
      registry.histogram("kube_router_controller_iptables_sync_time",
                         "Time it took for controller to sync iptables", {0.005, 0.5, 10});
  histogram.observe(0.25);
  histogram.observe(0.5);
  histogram.observe(30);
  EXPECT_EQ(render_text_format(registry.collect()),
            "# HELP kube_router_controller_iptables_sync_time Time it took for controller to sync "
            "iptables\n"
            "# TYPE kube_router_controller_iptables_sync_time histogram\n"
            "kube_router_controller_iptables_sync_time_bucket{le=\"0.005\"} 0\n"
            "kube_router_controller_iptables_sync_time_bucket{le=\"0.5\"} 2\n"
            "kube_router_controller_iptables_sync_time_bucket{le=\"10\"} 2\n"
            "kube_router_controller_iptables_sync_time_bucket{le=\"+Inf\"} 3\n"
            "kube_router_controller_iptables_sync_time_sum 30.75\n"
            "kube_router_controller_iptables_sync_time_count 3\n");
}

TEST(Exposition, PutsLeAfterTheHistogramsOwnLabels) {
  Registry registry;
  registry.histogram_family("kube_router_test_seconds", "", {"family"}, {1})
      .with_labels({"v6"})
      ->observe(2);
  // No HELP line for empty help.
  EXPECT_EQ(render_text_format(registry.collect()),
            "# TYPE kube_router_test_seconds histogram\n"
            "kube_router_test_seconds_bucket{family=\"v6\",le=\"1\"} 0\n"
            "kube_router_test_seconds_bucket{family=\"v6\",le=\"+Inf\"} 1\n"
            "kube_router_test_seconds_sum{family=\"v6\"} 2\n"
            "kube_router_test_seconds_count{family=\"v6\"} 1\n");
}

TEST(Exposition, FormatsSpecialAndLargeValues) {
  EXPECT_EQ(format_sample_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_sample_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_sample_value(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(format_sample_value(0), "0");
  EXPECT_EQ(format_sample_value(-1.5), "-1.5");
  EXPECT_EQ(format_sample_value(1234567890123), "1234567890123");
  EXPECT_EQ(format_sample_value(1e300), "1e+300");
}

}  // namespace
}  // namespace kr::observe
