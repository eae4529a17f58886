#include "proxy_lab.h"

#include <linux/netlink.h>

#include "controllers/proxy/dummy_interface.h"
#include "controllers/proxy/host_addresses.h"
#include "kernel/ipvs/kernel_ipvs.h"
#include "kernel/netfilter/backend_detect.h"
#include "kernel/netlink/link.h"
#include "kernel/netlink/socket.h"
#include "kernel/netlink/sysctl.h"
#include "support/run.h"
#include "support/veth.h"

namespace kr::proxy::vmtest {
namespace {

void must(const test::ScopedNetns& ns, const std::vector<std::string>& argv) {
  const auto r = ns.run(argv);
  if (!r.ok()) throw std::runtime_error(r.describe(argv));
}

}  // namespace

bool kernel_has_ipvs() {
  test::ScopedNetns probe;
  try {
    ipvs::open_kernel_ipvs(netns_path(probe));
    netlink::Socket socket(NETLINK_ROUTE, netns_path(probe));
    netlink::Links(socket).add_dummy("probe0");
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

ProxyLab::ProxyLab(Options options)
    : node_(std::make_unique<test::ScopedNetns>()),
      client_(std::make_unique<test::ScopedNetns>()),
      client2_(std::make_unique<test::ScopedNetns>()) {
  must(*node_, {"sysctl", "-qw", "net.ipv4.ip_forward=1"});
  must(*node_, {"sysctl", "-qw", "net.ipv6.conf.all.forwarding=1"});
  test::connect_veth({client_->name(), "eth0", "192.168.1.2/24"},
                     {node_->name(), "eth0", "192.168.1.10/24"});
  client_->ip({"-6", "addr", "add", "fd00:1::2/64", "dev", "eth0", "nodad"});
  node_->ip({"-6", "addr", "add", "fd00:1::10/64", "dev", "eth0", "nodad"});
  client_->ip({"route", "add", "default", "via", "192.168.1.10"});
  client_->ip({"-6", "route", "add", "default", "via", "fd00:1::10"});
  test::connect_veth({client2_->name(), "eth0", "172.16.0.2/24"},
                     {node_->name(), "eth1", "172.16.0.10/24"});
  client2_->ip({"route", "add", "default", "via", "172.16.0.10"});
  for (const auto& [bridge, v4, v6] :
       {std::tuple{"kube-bridge", "10.244.1.1/24", "fd00:244:1::1/64"},
        std::tuple{"kube-remote", "10.244.2.1/24", "fd00:244:2::1/64"}}) {
    node_->ip({"link", "add", bridge, "type", "bridge"});
    node_->ip({"addr", "add", v4, "dev", bridge});
    node_->ip({"-6", "addr", "add", v6, "dev", bridge, "nodad"});
    node_->ip({"link", "set", bridge, "up"});
  }
  for (int i = 0; i < options.local_pods; ++i) {
    add_pod("kube-bridge", "local" + std::to_string(i), local_ip(i), local_ip(i, true),
            "10.244.1.1", "fd00:244:1::1", local_);
  }
  for (int i = 0; i < options.remote_pods; ++i) {
    add_pod("kube-remote", "remote" + std::to_string(i), remote_ip(i), remote_ip(i, true),
            "10.244.2.1", "fd00:244:2::1", remote_);
  }
}

ProxyLab::~ProxyLab() { stop(); }

void ProxyLab::add_pod(const std::string& bridge, const std::string& name, const std::string& v4,
                       const std::string& v6, const std::string& gw4, const std::string& gw6,
                       std::vector<std::unique_ptr<test::ScopedNetns>>& into) {
  auto pod = std::make_unique<test::ScopedNetns>();
  const std::string port = "vp" + std::to_string(veths_++);
  test::connect_veth({pod->name(), "eth0", v4 + "/24"}, {node_->name(), port, ""});
  node_->ip({"link", "set", port, "master", bridge});
  pod->ip({"-6", "addr", "add", v6 + "/64", "dev", "eth0", "nodad"});
  pod->ip({"route", "add", "default", "via", gw4});
  pod->ip({"-6", "route", "add", "default", "via", gw6});
  servers_.add(*pod, name, kBackendPort);
  into.push_back(std::move(pod));
}

options::Config ProxyLab::default_config() {
  options::Config c;
  c.enable_ipv6 = true;
  c.service_cluster_ip_range = {"10.96.0.0/12", "fd00:96::/112"};
  c.service_external_ip_range = {"198.51.100.0/24", "2001:db8:51::/64"};
  c.loadbalancer_ip_range = {"203.0.113.0/24"};
  // Long enough that the tests see incremental passes; they ask for full ones explicitly.
  c.ipvs_sync_period = std::chrono::minutes(10);
  return c;
}

void ProxyLab::start(const options::Config& config) {
  // Schedulers and the ipvs match are loaded on demand; ask up front so a missing module shows
  // as a clear failure rather than a refused change.
  (void)test::run(
      {"modprobe", "-a", "ip_vs_rr", "ip_vs_sh", "ip_vs_lc", "xt_ipvs", "nf_conntrack"});
  work_.emplace(io_.get_executor());
  io_thread_ = std::thread([this] { in_netns(*node_, [this] { io_.run(); }); });

  const std::string path = netns_path(*node_);
  ServiceProxyController::Parts parts;
  parts.source = std::move(owned_source_);
  parts.ipvs = ipvs::open_kernel_ipvs(path);
  parts.open_ipvs = [path] { return ipvs::open_kernel_ipvs(path); };
  parts.dummy = std::make_unique<DummyInterface>(path);
  parts.firewall = std::make_unique<NetfilterFirewall>(netfilter::detect_backend(path), path);
  parts.interface_addresses = [path] { return list_interface_addresses(path); };
  parts.flush_udp_conntrack = [path](const VipKey& key) { flush_udp_conntrack(key, path); };
  parts.read_sysctl = [this](std::string_view name) {
    std::optional<std::string> value;
    in_netns(*node_, [&] { value = sysctl::read(name); });
    return value;
  };
  parts.write_sysctl = [this](std::string_view name, std::string_view value) {
    in_netns(*node_, [&] { sysctl::write(name, value); });
  };
  parts.io = &io_;

  NodeFacts node;
  node.name = "node-a";
  node.primary_ip = IpAddress::must_parse("192.168.1.10");
  node.best_v4 = node.primary_ip;
  node.best_v6 = IpAddress::must_parse("fd00:1::10");
  node.node_ips = {node.best_v4, node.best_v6};
  node.pod_cidrs = {*Cidr::parse("10.244.1.0/24"), *Cidr::parse("fd00:244:1::/64")};
  controller_ = std::make_unique<ServiceProxyController>(config, node, nullptr, std::move(parts));
  controller_->start();
  programmed();
}

void ProxyLab::stop() {
  if (controller_) {
    controller_->stop();
    controller_.reset();
  }
  work_.reset();
  io_.stop();
  if (io_thread_.joinable()) io_thread_.join();
}

void ProxyLab::programmed() {
  if (!controller_->wait_until_programmed(std::chrono::minutes(2))) {
    throw std::runtime_error("the proxy did not program its state within 2 minutes");
  }
}

std::string ProxyLab::local_ip(int i, bool v6) {
  return v6 ? "fd00:244:1::" + std::to_string(10 + i) : "10.244.1." + std::to_string(10 + i);
}

std::string ProxyLab::remote_ip(int i, bool v6) {
  return v6 ? "fd00:244:2::" + std::to_string(10 + i) : "10.244.2." + std::to_string(10 + i);
}

std::optional<std::string> ProxyLab::ask(const test::ScopedNetns& from, const std::string& address,
                                         std::uint16_t port, std::chrono::milliseconds wait) const {
  const Fd fd = connect_tcp(from, address, port, wait);
  if (!fd.valid()) return std::nullopt;
  return read_line(fd, wait);
}

Fd ProxyLab::open(const test::ScopedNetns& from, const std::string& address, std::uint16_t port,
                  std::string& name) const {
  Fd fd = connect_tcp(from, address, port, kConnectWait);
  if (fd.valid()) name = read_line(fd, kConnectWait).value_or("");
  return fd;
}

std::string ProxyLab::http_get(const test::ScopedNetns& from, const std::string& address,
                               std::uint16_t port, const std::string& path) const {
  const Fd fd = connect_tcp(from, address, port, kConnectWait);
  if (!fd.valid() || !write_all(fd, "GET " + path + " HTTP/1.0\r\nHost: node\r\n\r\n")) {
    return {};
  }
  std::string response;
  while (auto line = read_line(fd, kConnectWait)) response += *line + "\n";
  return response;
}

std::unique_ptr<ipvs::Ipvs> ProxyLab::ipvs() const {
  return ipvs::open_kernel_ipvs(netns_path(*node_));
}

std::string ProxyLab::node_output(const std::vector<std::string>& argv) const {
  const auto r = node_->run(argv);
  return r.ok() ? r.out : std::string();
}

k8s::ServicePort service_port(std::string name, int port, std::string protocol, int node_port) {
  k8s::ServicePort p;
  p.name = k8s::Interned(name);
  p.port = port;
  p.protocol = k8s::Interned(protocol);
  p.node_port = node_port;
  return p;
}

std::shared_ptr<k8s::Service> make_service(std::string name, std::vector<std::string> cluster_ips,
                                           std::vector<k8s::ServicePort> ports) {
  auto s = std::make_shared<k8s::Service>();
  s->meta.namespace_ = k8s::Interned("default");
  s->meta.name = std::move(name);
  s->type = k8s::Interned("ClusterIP");
  s->cluster_ip = cluster_ips.front();
  s->cluster_ips = std::move(cluster_ips);
  s->ports = std::move(ports);
  return s;
}

std::shared_ptr<const k8s::EndpointSlice> make_slice(std::string name, std::string service,
                                                     std::string port_name,
                                                     std::vector<Endpoint> endpoints) {
  auto s = std::make_shared<k8s::EndpointSlice>();
  s->meta.namespace_ = k8s::Interned("default");
  s->meta.name = std::move(name);
  s->meta.labels.set(k8s::kServiceNameLabel, service);
  const bool v6 = !endpoints.empty() && endpoints.front().ip.find(':') != std::string::npos;
  s->address_type = k8s::Interned(v6 ? "IPv6" : "IPv4");
  k8s::EndpointPort port;
  port.name = k8s::Interned(port_name);
  port.port = kBackendPort;
  port.protocol = k8s::Interned("TCP");
  s->ports.push_back(port);
  for (const Endpoint& e : endpoints) {
    k8s::Endpoint ep;
    ep.addresses = {e.ip};
    ep.node_name = k8s::Interned(e.node);
    ep.ready = e.ready;
    ep.serving = e.ready || e.terminating;
    ep.terminating = e.terminating;
    s->endpoints.push_back(ep);
  }
  return s;
}

}  // namespace kr::proxy::vmtest
