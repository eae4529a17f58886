// Checks made before any controller starts: cache sync timeout, graceful
// restart timers, and the service IP ranges of the shared validator.
#include <gtest/gtest.h>

#include "options/validate.h"

namespace kr::options {
namespace {

using std::chrono::hours;
using std::chrono::nanoseconds;
using std::chrono::seconds;

// A configuration that passes every check, with a cluster range so the range
// checks have something to look at.
Config valid_config() {
  Config config;
  config.service_cluster_ip_range = {"10.96.0.0/12"};
  return config;
}

TEST(ValidateCommon, AcceptsAValidConfiguration) {
  EXPECT_EQ(validate_common(valid_config()), std::nullopt);
}

TEST(ValidateCommon, CacheSyncTimeoutMustBePositive) {
  Config config = valid_config();
  config.cache_sync_timeout = nanoseconds(0);
  EXPECT_EQ(validate_common(config), "--cache-sync-timeout must be greater than 0, got 0s");
  config.cache_sync_timeout = seconds(-5);
  EXPECT_EQ(validate_common(config), "--cache-sync-timeout must be greater than 0, got -5s");
  config.cache_sync_timeout = nanoseconds(1);
  EXPECT_EQ(validate_common(config), std::nullopt);
}

TEST(ValidateCommon, GracefulRestartTimersAreCheckedOnlyWhenEnabled) {
  Config config = valid_config();
  config.bgp_graceful_restart_time = seconds(5000);
  config.bgp_graceful_restart_deferral_time = hours(19);
  EXPECT_EQ(validate_common(config), std::nullopt);

  config.bgp_graceful_restart = true;
  EXPECT_EQ(validate_common(config),
            "invalid --bgp-graceful-restart-time 1h23m20s: must be greater than 0 and at most "
            "4095s (1h8m15s)");
  config.bgp_graceful_restart_time = seconds(4095);
  EXPECT_EQ(validate_common(config),
            "invalid --bgp-graceful-restart-deferral-time 19h0m0s: must be greater than 0 and at "
            "most 18h0m0s");
  config.bgp_graceful_restart_deferral_time = hours(18);
  EXPECT_EQ(validate_common(config), std::nullopt);

  config.bgp_graceful_restart_time = seconds(0);
  EXPECT_NE(validate_common(config), std::nullopt);
  config.bgp_graceful_restart_time = seconds(90);
  config.bgp_graceful_restart_deferral_time = seconds(-1);
  EXPECT_NE(validate_common(config), std::nullopt);
}

TEST(ValidateServiceRanges, ClusterRangeEntriesMustBeCidrs) {
  Config config = valid_config();
  for (const char* bad : {"10.10.10", "foo", "10.10.10.10"}) {
    config.service_cluster_ip_range = {bad};
    EXPECT_EQ(validate_common(config),
              std::string("failed to parse --service-cluster-ip-range parameter: '") + bad +
                  "': invalid CIDR address: " + bad);
  }
  for (const char* good : {"10.10.10.10/32", "10.10.10.0/24"}) {
    config.service_cluster_ip_range = {good};
    EXPECT_EQ(validate_common(config), std::nullopt) << good;
  }
}

TEST(ValidateServiceRanges, FamilyMustBeEnabledAndAtMostTwoEntries) {
  Config config = valid_config();
  config.service_cluster_ip_range = {"10.96.0.0/12", "10.244.0.0/16", "2001:db8:42:1::/112"};
  EXPECT_EQ(validate_common(config),
            "IPv6 CIDR 2001:db8:42:1::/112 specified in --service-cluster-ip-range while IPv6 is "
            "disabled");
  config.enable_ipv6 = true;
  EXPECT_EQ(validate_common(config),
            "too many CIDRs provided in --service-cluster-ip-range parameter, only two addresses "
            "are allowed at once for dual-stack");

  config.service_cluster_ip_range = {"10.96.0.0/12", "2001:db8:42:0::/56", "2001:db8:42:1::/112"};
  config.enable_ipv6 = false;
  EXPECT_EQ(validate_common(config),
            "IPv6 CIDR 2001:db8:42:0::/56 specified in --service-cluster-ip-range while IPv6 is "
            "disabled");

  config.enable_ipv6 = true;
  config.service_cluster_ip_range = {"10.96.0.0/12", "2001:db8:42:1::/112"};
  EXPECT_EQ(validate_common(config), std::nullopt);  // dual stack

  config.enable_ipv4 = false;
  EXPECT_EQ(validate_common(config),
            "IPv4 CIDR 10.96.0.0/12 specified in --service-cluster-ip-range while IPv4 is "
            "disabled");
  config.service_cluster_ip_range = {"2001:db8:42:1::/112"};
  config.service_external_ip_range = {"2001:db8:1::/64"};
  config.loadbalancer_ip_range = {"2001:db8:2::/64"};
  EXPECT_EQ(validate_common(config), std::nullopt);  // IPv6 only
}

// The user guide's default is an empty list, and kube-router must start with its default
// flags; newer upstream (default [10.96.0.0/12]) rejects an empty list (docs/differences.md).
TEST(ValidateServiceRanges, EmptyClusterRangeIsAccepted) {
  EXPECT_EQ(validate_common(Config{}), std::nullopt);
}

TEST(ValidateServiceRanges, ExternalAndLoadBalancerRangesMustBeCidrsOfEnabledFamilies) {
  Config config = valid_config();
  for (const char* bad : {"199.10.10", "foo", "199.10.10.10"}) {
    config.service_external_ip_range = {bad};
    EXPECT_EQ(validate_common(config),
              std::string("failed to parse --service-external-ip-range parameter: '") + bad +
                  "': invalid CIDR address: " + bad);
  }
  config.service_external_ip_range = {"199.10.10.10/32", "199.10.10.11"};
  EXPECT_EQ(validate_common(config),
            "failed to parse --service-external-ip-range parameter: '199.10.10.11': invalid CIDR "
            "address: 199.10.10.11");
  config.service_external_ip_range = {"199.10.10.10/32", "199.10.10.10/24"};
  EXPECT_EQ(validate_common(config), std::nullopt);

  config.loadbalancer_ip_range = {"foo"};
  EXPECT_EQ(validate_common(config),
            "failed to parse --loadbalancer-ip-range parameter: 'foo': invalid CIDR address: foo");
  config.loadbalancer_ip_range = {"2001:db8::/64"};
  EXPECT_EQ(validate_common(config),
            "IPv6 CIDR 2001:db8::/64 specified in --loadbalancer-ip-range while IPv6 is disabled");
  config.loadbalancer_ip_range = {"198.51.100.0/24"};
  EXPECT_EQ(validate_common(config), std::nullopt);
}

TEST(MetricsEnabled, OnlyStrictlyBetweenZeroAnd65535) {
  Config config;
  EXPECT_FALSE(metrics_enabled(config));
  config.metrics_port = 1;
  EXPECT_TRUE(metrics_enabled(config));
  config.metrics_port = 65534;
  EXPECT_TRUE(metrics_enabled(config));
  config.metrics_port = 65535;
  EXPECT_FALSE(metrics_enabled(config));
}

}  // namespace
}  // namespace kr::options
