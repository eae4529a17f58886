// One BGP peer that pushes a pre-encoded feed as fast as TCP takes it: its
// socket is created inside the feeder's network namespace, the OPEN
// exchange is done by hand, and a background thread drains what the speaker
// sends and keeps the session alive.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>

#include "feed.h"

namespace kr::bench {

class Feeder {
 public:
  Feeder(std::string netns, bgp::IpAddress local, bgp::IpAddress remote, uint32_t local_as);
  ~Feeder();
  Feeder(const Feeder&) = delete;
  Feeder& operator=(const Feeder&) = delete;

  // Connects (retrying while the speaker is not listening yet) and completes
  // the OPEN exchange. Returns "" or what went wrong.
  std::string establish(std::chrono::seconds timeout);
  // Writes every UPDATE; returns when the last byte is in the kernel.
  void send(const Feed& feed);

 private:
  bool write_all(const uint8_t* data, std::size_t size);
  void drain_and_keepalive();

  std::string netns_;
  bgp::IpAddress local_;
  bgp::IpAddress remote_;
  uint32_t local_as_;
  int fd_ = -1;
  std::mutex write_mu_;
  std::atomic<bool> stop_{false};
  std::thread background_;
};

}  // namespace kr::bench
