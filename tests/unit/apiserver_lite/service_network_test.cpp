// Service defaults and clusterIP / nodePort allocation through the router.
#include <gtest/gtest.h>

#include <set>

#include "api_test_util.h"

namespace kr::apiserver_lite {
namespace {

using testing::Api;
namespace json = boost::json;

const std::string kServices = "/api/v1/namespaces/default/services";

json::value create(Api& api, const std::string& body, int expected = 201) {
  const Response r = api.call("POST", kServices, body);
  EXPECT_EQ(r.status, expected) << r.body;
  return Api::json(r);
}

TEST(IpRange, ParsesAndBoundsRanges) {
  const auto v4 = IpRange::parse("10.96.0.0/12");
  ASSERT_TRUE(v4.has_value());
  EXPECT_TRUE(v4->contains("10.96.0.1"));
  EXPECT_TRUE(v4->contains("10.111.255.254"));
  EXPECT_FALSE(v4->contains("10.96.0.0"));       // network address
  EXPECT_FALSE(v4->contains("10.111.255.255"));  // broadcast
  EXPECT_FALSE(v4->contains("10.112.0.1"));
  EXPECT_FALSE(v4->contains("fd00::1"));
  EXPECT_EQ(v4->at(1), "10.96.0.1");
  EXPECT_EQ(IpRange::parse("192.168.0.0/30")->size(), 2u);
  const auto v6 = IpRange::parse("fd00:10:96::/112");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->at(255), "fd00:10:96::ff");
  EXPECT_FALSE(IpRange::parse("10.96.0.1/12").has_value());  // host bits set
  EXPECT_FALSE(IpRange::parse("10.96.0.0").has_value());
  EXPECT_FALSE(IpRange::parse("nonsense/8").has_value());
}

TEST(ServiceNetwork, DefaultsAndAllocatesAClusterIp) {
  Api api;
  const json::value service =
      create(api, R"({"metadata":{"name":"web"},"spec":{"ports":[{"port":80}]}})");
  const json::object& spec = service.at("spec").as_object();
  EXPECT_EQ(spec.at("type"), "ClusterIP");
  EXPECT_EQ(spec.at("sessionAffinity"), "None");
  EXPECT_EQ(spec.at("ports").at(0).at("protocol"), "TCP");
  EXPECT_EQ(spec.at("ports").at(0).at("targetPort"), 80);
  EXPECT_FALSE(spec.at("ports").at(0).as_object().contains("nodePort"));
  const std::string ip(spec.at("clusterIP").as_string());
  EXPECT_TRUE(IpRange::parse("10.96.0.0/12")->contains(ip)) << ip;
  EXPECT_EQ(spec.at("clusterIPs"), json::array{json::string(ip)});
  EXPECT_EQ(spec.at("ipFamilies"), json::array{"IPv4"});
  EXPECT_EQ(spec.at("ipFamilyPolicy"), "SingleStack");
}

TEST(ServiceNetwork, AllocationsAreUniqueAndExplicitIpsAreChecked) {
  Api api;
  std::set<std::string> ips;
  for (int i = 0; i < 5; ++i) {
    const json::value s = create(api, R"({"metadata":{"name":"s)" + std::to_string(i) + R"("}})");
    ips.insert(std::string(s.at("spec").at("clusterIP").as_string()));
  }
  EXPECT_EQ(ips.size(), 5u);
  const std::string taken = *ips.begin();
  json::value error =
      create(api, R"({"metadata":{"name":"dup"},"spec":{"clusterIP":")" + taken + R"("}})", 422);
  EXPECT_NE(std::string(error.at("message").as_string()).find("provided IP is already allocated"),
            std::string::npos);
  error = create(api, R"({"metadata":{"name":"out"},"spec":{"clusterIP":"192.0.2.1"}})", 422);
  EXPECT_NE(std::string(error.at("message").as_string()).find("not in the valid range"),
            std::string::npos);
  create(api, R"({"metadata":{"name":"bad"},"spec":{"clusterIP":"not-an-ip"}})", 422);
  // Explicit IPs in the low band are free for the asking; deletion releases an address.
  create(api, R"({"metadata":{"name":"dns"},"spec":{"clusterIP":"10.96.0.10"}})");
  ASSERT_EQ(api.call("DELETE", kServices + "/dns").status, 200);
  create(api, R"({"metadata":{"name":"dns2"},"spec":{"clusterIP":"10.96.0.10"}})");
}

TEST(ServiceNetwork, HeadlessAndExternalName) {
  Api api;
  json::value s = create(api, R"({"metadata":{"name":"h"},"spec":{"clusterIP":"None"}})");
  EXPECT_EQ(s.at("spec").at("clusterIPs"), json::array{"None"});
  s = create(
      api,
      R"({"metadata":{"name":"e"},"spec":{"type":"ExternalName","externalName":"x.example"}})");
  EXPECT_FALSE(s.at("spec").as_object().contains("clusterIP"));
}

TEST(ServiceNetwork, NodePortsAreAllocatedKeptAndReleased) {
  Api api;
  json::value s = create(api, R"({"metadata":{"name":"np"},"spec":{"type":"NodePort",)"
                              R"("ports":[{"port":80},{"port":443,"nodePort":30443}]}})");
  const json::value& ports = s.at("spec").at("ports");
  const int64_t allocated = ports.at(0).at("nodePort").as_int64();
  EXPECT_GE(allocated, 30000);
  EXPECT_LE(allocated, 32767);
  EXPECT_EQ(ports.at(1).at("nodePort"), 30443);
  EXPECT_EQ(s.at("spec").at("externalTrafficPolicy"), "Cluster");

  json::value error = create(api,
                             R"({"metadata":{"name":"np2"},"spec":{"type":"NodePort",)"
                             R"("ports":[{"port":1,"nodePort":30443}]}})",
                             422);
  EXPECT_NE(std::string(error.at("message").as_string()).find("provided port is already allocated"),
            std::string::npos);
  create(
      api,
      R"({"metadata":{"name":"np3"},"spec":{"type":"NodePort","ports":[{"port":1,"nodePort":80}]}})",
      422);

  // An update without nodePorts keeps them; switching to ClusterIP releases them.
  Response r = api.call("PUT", kServices + "/np",
                        R"({"metadata":{"name":"np"},"spec":{"type":"NodePort",)"
                        R"("ports":[{"port":80},{"port":443}]}})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Api::json(r).at("spec").at("ports").at(0).at("nodePort"), allocated);
  EXPECT_EQ(Api::json(r).at("spec").at("clusterIP"), s.at("spec").at("clusterIP"));
  r = api.call("PATCH", kServices + "/np", R"({"spec":{"type":"ClusterIP"}})",
               "application/merge-patch+json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(Api::json(r).at("spec").at("ports").at(1).as_object().contains("nodePort"));
  create(
      api,
      R"({"metadata":{"name":"np4"},"spec":{"type":"NodePort","ports":[{"port":1,"nodePort":30443}]}})");
}

TEST(ServiceNetwork, ClusterIpIsImmutable) {
  Api api;
  create(api, R"({"metadata":{"name":"web"},"spec":{"clusterIP":"10.96.0.20"}})");
  EXPECT_EQ(api.call("PATCH", kServices + "/web", R"({"spec":{"clusterIP":"10.96.0.21"}})",
                     "application/merge-patch+json")
                .status,
            422);
  const Response kept =
      api.call("PUT", kServices + "/web", R"({"metadata":{"name":"web"},"spec":{}})");
  ASSERT_EQ(kept.status, 200) << kept.body;
  EXPECT_EQ(Api::json(kept).at("spec").at("clusterIP"), "10.96.0.20");
}

TEST(ServiceNetwork, DualStackNeedsTwoRanges) {
  Api api;
  create(api, R"({"metadata":{"name":"d"},"spec":{"ipFamilyPolicy":"RequireDualStack"}})", 422);
  ServiceNetworkConfig config = ServiceNetworkConfig::defaults();
  config.cluster_ip_ranges.push_back(*IpRange::parse("fd00:10:96::/112"));
  Store store(100);
  Registry registry(store, config);
  registry.bootstrap();
  const WriteResult r = registry.create(
      *find_resource("", "v1", "services"), "default",
      R"({"metadata":{"name":"d"},"spec":{"ipFamilyPolicy":"PreferDualStack"}})", false);
  const json::value& spec = r.object->at("spec");
  EXPECT_EQ(spec.at("ipFamilies"), (json::array{"IPv4", "IPv6"}));
  EXPECT_EQ(spec.at("clusterIPs").as_array().size(), 2u);
  EXPECT_TRUE(IpRange::parse("fd00:10:96::/112")
                  ->contains(std::string(spec.at("clusterIPs").at(1).as_string())));
}

}  // namespace
}  // namespace kr::apiserver_lite
