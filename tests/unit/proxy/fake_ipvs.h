// An in-memory IPVS table with the kernel's error answers (EEXIST, ESRCH, ENOENT), a log of the
// changes it was sent, and knobs for connection counts and injected failures.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "kernel/ipvs/ipvs.h"

namespace kr::proxy::testing {

class FakeIpvs : public ipvs::Ipvs {
 public:
  std::vector<ipvs::Service> list_services() override;
  void add_service(const ipvs::Service& service) override;
  void update_service(const ipvs::Service& service) override;
  void remove_service(const ipvs::ServiceKey& key) override;
  std::vector<ipvs::Destination> list_destinations(const ipvs::ServiceKey& key) override;
  void add_destination(const ipvs::ServiceKey& key, const ipvs::Destination& d) override;
  void update_destination(const ipvs::ServiceKey& key, const ipvs::Destination& d) override;
  void remove_destination(const ipvs::ServiceKey& key, const ipvs::Destination& d) override;
  std::vector<ipvs::ChangeResult> apply(const std::vector<ipvs::Change>& changes) override;
  ipvs::Timeouts timeouts() override { return timeouts_; }
  void set_timeouts(const ipvs::Timeouts& t) override { timeouts_ = t; }
  void flush() override { services_.clear(); }

  // `ipvsadm -Ln`-like lines, sorted: "TCP 10.96.0.50:80 rr -> 10.244.1.5:8080 w1,...".
  std::vector<std::string> table() const;
  // One line per change received through apply() since the last call, e.g.
  // "add-dest 10.96.0.50:80/tcp 10.244.1.5:8080 w1"; clears the log.
  std::vector<std::string> take_log();
  void set_connections(const std::string& service, const std::string& destination, int active,
                       int inactive);
  // Changes touching this service ("10.96.0.50:80/tcp") fail with EINVAL.
  std::set<std::string> failing;
  int list_destination_calls = 0;

 private:
  struct Entry {
    ipvs::Service service;
    std::map<std::string, ipvs::Destination> destinations;  // by "ip:port"
  };
  int change(const ipvs::Change& c);
  std::map<std::string, Entry> services_;  // by key text
  ipvs::Timeouts timeouts_;
  std::vector<std::string> log_;
};

}  // namespace kr::proxy::testing
