// Our bgp-speaker and one real peer daemon in two network namespaces joined
// by a veth: ours 10.0.0.1 / fd00::1, theirs 10.0.0.2 / fd00::2. Everything
// (namespaces, daemons, temp files) goes away when the test ends, pass or
// fail.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "bird_peer.h"
#include "frr_peer.h"
#include "gobgpd_peer.h"
#include "speaker_process.h"
#include "support/netns.h"
#include "support/root.h"
#include "support/temp_dir.h"
#include "support/veth.h"
#include "support/wait.h"

namespace kr::test {

class InteropTest : public ::testing::Test {
 protected:
  // Call first in every test (skips without root or the tools).
  void make_namespaces() {
    ours_ = std::make_unique<ScopedNetns>();
    theirs_ = std::make_unique<ScopedNetns>();
    connect_veth({ours_->name(), "eth0", "10.0.0.1/24"}, {theirs_->name(), "eth0", "10.0.0.2/24"});
    ours_->ip({"addr", "add", "fd00::1/64", "dev", "eth0", "nodad"});
    theirs_->ip({"addr", "add", "fd00::2/64", "dev", "eth0", "nodad"});
  }
  SpeakerProcess& speaker(const std::string& yaml) {
    speaker_ = std::make_unique<SpeakerProcess>(*ours_, dir_.file("ours"), yaml);
    speaker_->start();
    return *speaker_;
  }

  // Bounded waits for what a test expects to happen.
  static constexpr std::chrono::seconds kSessionWait{40};
  static constexpr std::chrono::seconds kRouteWait{15};
  // Re-establishing after a peer died: GoBGP refuses connections for up to
  // 30 s of idle hold after a session loss.
  static constexpr std::chrono::seconds kRestartWait{90};

  TempDir dir_{"bgp-interop"};
  std::unique_ptr<ScopedNetns> ours_;
  std::unique_ptr<ScopedNetns> theirs_;
  std::unique_ptr<SpeakerProcess> speaker_;
};

}  // namespace kr::test
