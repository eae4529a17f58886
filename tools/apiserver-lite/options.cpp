#include "options.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>
#include <map>

namespace kr::apiserver_lite {
namespace {

uint64_t parse_unsigned(const std::string& text, const std::string& flag, uint64_t max) {
  uint64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || value > max) {
    throw OptionsError(flag + ": \"" + text + "\" is not a number in 0.." + std::to_string(max));
  }
  return value;
}

bool is_ip_literal(const std::string& address) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, address.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, address.c_str(), buffer) == 1;
}

}  // namespace

std::chrono::milliseconds parse_duration(const std::string& text) {
  std::chrono::milliseconds total{0};
  size_t i = 0;
  if (text.empty()) {
    throw OptionsError("empty duration");
  }
  while (i < text.size()) {
    size_t digits = i;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits])) != 0) {
      ++digits;
    }
    size_t unit_end = digits;
    while (unit_end < text.size() &&
           std::isalpha(static_cast<unsigned char>(text[unit_end])) != 0) {
      ++unit_end;
    }
    const std::string number = text.substr(i, digits - i);
    const std::string unit = text.substr(digits, unit_end - digits);
    static const std::map<std::string, int64_t> kUnitMs = {
        {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}};
    const auto found = kUnitMs.find(unit);
    if (number.empty() || found == kUnitMs.end()) {
      throw OptionsError("invalid duration \"" + text + "\" (use e.g. 500ms, 1s, 2m)");
    }
    total += std::chrono::milliseconds(
        static_cast<int64_t>(parse_unsigned(number, "duration", 1'000'000'000)) * found->second);
    i = unit_end;
  }
  return total;
}

ListenAddress parse_listen_address(const std::string& text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos) {
    throw OptionsError("\"" + text + "\" is not ADDR:PORT");
  }
  std::string address = text.substr(0, colon);
  if (address.size() >= 2 && address.front() == '[' && address.back() == ']') {
    address = address.substr(1, address.size() - 2);
  }
  if (!is_ip_literal(address)) {
    throw OptionsError("\"" + address + "\" in \"" + text + "\" is not an IP address");
  }
  ListenAddress out;
  out.address = address;
  out.port = static_cast<uint16_t>(parse_unsigned(text.substr(colon + 1), "port", 65535));
  return out;
}

std::string usage() {
  return R"(usage: apiserver-lite [flags]

A small Kubernetes API server (v1 Namespace/Node/Pod/Service/Endpoints, discovery.k8s.io/v1
EndpointSlice, networking.k8s.io/v1 NetworkPolicy, coordination.k8s.io/v1 Lease) for tests and
the lab. HTTPS only; state is in memory.

  --listen ADDR:PORT            listen here (repeatable; port 0 picks a free port;
                                default 127.0.0.1:6443 when no --listen/--listen-netns is given)
  --listen-netns NAME:ADDR:PORT also listen inside network namespace /var/run/netns/NAME
                                (repeatable; needs CAP_SYS_ADMIN)
  --port-file FILE              once listening, write the first listener's port on line 1, then
                                one line per listener: "listen ADDR:PORT" or
                                "listen-netns NAME ADDR:PORT" (written atomically via rename)
  --tls-cert-file FILE          serving certificate (PEM, required)
  --tls-private-key-file FILE   its key (PEM, required)
  --client-ca-file FILE         verify client certificates against this CA (CN=user, O=groups)
  --token-auth-file FILE        static bearer tokens, CSV: token,user,uid[,"group1,group2"]
  --readonly-user NAME          this user may only get/list/watch; writes get 403 (repeatable)
  --bookmark-interval DURATION  how often watches with allowWatchBookmarks=true get a BOOKMARK
                                (default 60s, e.g. 1s for tests)
  --history-window N            changes kept for watch replay and exact-RV lists (default 10000);
                                older resourceVersions get 410 Expired
  --service-cluster-ip-range CIDR[,CIDR]
                                Service clusterIPs are allocated from here (default 10.96.0.0/12;
                                one IPv4 and one IPv6 CIDR for dual-stack)
  --service-node-port-range MIN-MAX
                                NodePort range (default 30000-32767)
  --enable-faults               enable POST /_lite/{drop-watches,compact,fail,delay}
  -v, --v N                     log verbosity (2 logs every request)
  -h, --help                    this text
)";
}

Options parse_options(int argc, const char* const* argv) {
  Options options;
  std::vector<ListenAddress> host_listeners;
  std::vector<ListenAddress> netns_listeners;
  const std::map<std::string, std::function<void(const std::string&)>> valued = {
      {"listen",
       [&](const std::string& v) {
         try {
           host_listeners.push_back(parse_listen_address(v));
         } catch (const OptionsError& e) {
           throw OptionsError(std::string("--listen: ") + e.what());
         }
       }},
      {"listen-netns",
       [&](const std::string& v) {
         const size_t colon = v.find(':');
         if (colon == std::string::npos || colon == 0) {
           throw OptionsError("--listen-netns: \"" + v + "\" is not NAME:ADDR:PORT");
         }
         try {
           ListenAddress address = parse_listen_address(v.substr(colon + 1));
           address.netns = v.substr(0, colon);
           netns_listeners.push_back(std::move(address));
         } catch (const OptionsError& e) {
           throw OptionsError(std::string("--listen-netns: ") + e.what());
         }
       }},
      {"port-file", [&](const std::string& v) { options.port_file = v; }},
      {"tls-cert-file", [&](const std::string& v) { options.tls_cert_file = v; }},
      {"tls-private-key-file", [&](const std::string& v) { options.tls_private_key_file = v; }},
      {"client-ca-file", [&](const std::string& v) { options.client_ca_file = v; }},
      {"token-auth-file", [&](const std::string& v) { options.token_auth_file = v; }},
      {"readonly-user", [&](const std::string& v) { options.readonly_users.push_back(v); }},
      {"bookmark-interval",
       [&](const std::string& v) {
         try {
           options.bookmark_interval = parse_duration(v);
         } catch (const OptionsError& e) {
           throw OptionsError(std::string("--bookmark-interval: ") + e.what());
         }
         if (options.bookmark_interval.count() <= 0) {
           throw OptionsError("--bookmark-interval must be positive");
         }
       }},
      {"history-window",
       [&](const std::string& v) {
         options.history_window = parse_unsigned(v, "--history-window", 100'000'000);
         if (options.history_window == 0) {
           throw OptionsError("--history-window must be at least 1");
         }
       }},
      {"service-cluster-ip-range",
       [&](const std::string& v) {
         options.service_cluster_ip_ranges.clear();
         size_t start = 0;
         while (start <= v.size()) {
           const size_t comma = std::min(v.find(',', start), v.size());
           options.service_cluster_ip_ranges.push_back(v.substr(start, comma - start));
           start = comma + 1;
         }
         if (options.service_cluster_ip_ranges.size() > 2) {
           throw OptionsError("--service-cluster-ip-range: at most one CIDR per IP family");
         }
       }},
      {"service-node-port-range",
       [&](const std::string& v) {
         const size_t dash = v.find('-');
         if (dash == std::string::npos) {
           throw OptionsError("--service-node-port-range: \"" + v + "\" is not MIN-MAX");
         }
         options.node_port_min = static_cast<int>(
             parse_unsigned(v.substr(0, dash), "--service-node-port-range", 65535));
         options.node_port_max = static_cast<int>(
             parse_unsigned(v.substr(dash + 1), "--service-node-port-range", 65535));
         if (options.node_port_min == 0 || options.node_port_min > options.node_port_max) {
           throw OptionsError("--service-node-port-range: \"" + v + "\" is not a valid range");
         }
       }},
      {"v",
       [&](const std::string& v) {
         options.verbosity = static_cast<int>(parse_unsigned(v, "--v", 10));
       }},
  };
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      options.help = true;
      continue;
    }
    if (arg == "--enable-faults") {
      options.enable_faults = true;
      continue;
    }
    if (arg.starts_with("--")) {
      arg = arg.substr(2);
    } else if (arg.starts_with("-v")) {
      arg = arg.size() > 2 && arg[2] != '=' ? "v=" + arg.substr(2) : arg.substr(1);
    } else {
      throw OptionsError("unexpected argument \"" + arg + "\"");
    }
    std::string value;
    const size_t equals = arg.find('=');
    const std::string name = arg.substr(0, equals);
    const auto handler = valued.find(name);
    if (handler == valued.end()) {
      throw OptionsError("unknown flag --" + name);
    }
    if (equals != std::string::npos) {
      value = arg.substr(equals + 1);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      throw OptionsError("flag needs an argument: --" + name);
    }
    handler->second(value);
  }
  if (options.help) {
    return options;
  }
  if (options.tls_cert_file.empty() || options.tls_private_key_file.empty()) {
    throw OptionsError("--tls-cert-file and --tls-private-key-file are required (HTTPS only)");
  }
  if (host_listeners.empty() && netns_listeners.empty()) {
    host_listeners.push_back({"", "127.0.0.1", 6443});
  }
  options.listen = std::move(host_listeners);
  options.listen.insert(options.listen.end(), netns_listeners.begin(), netns_listeners.end());
  return options;
}

}  // namespace kr::apiserver_lite
