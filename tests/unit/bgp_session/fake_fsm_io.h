// A scripted transport and clock for FSM tests: records what the FSM sends,
// closes and arms, and fires timers as the test advances time.
#pragma once

#include <map>
#include <set>
#include <vector>

#include "bgp/session/fsm.h"

namespace kr::bgp::session::test {

class FakeFsmIo : public FsmIo {
 public:
  using Clock = std::chrono::steady_clock;

  void start_connect(ConnId id) override { connects.push_back(id); }
  void send(ConnId id, Bytes message) override { sent[id].push_back(std::move(message)); }
  void close(ConnId id) override { closed.insert(id); }
  void arm_timer(TimerKind kind, ConnId id, std::chrono::milliseconds after) override {
    timers[{kind, id}] = clock + after;
  }
  void cancel_timer(TimerKind kind, ConnId id) override { timers.erase({kind, id}); }
  Clock::time_point now() override { return clock; }
  double jitter() override { return 1.0; }

  bool armed(TimerKind kind, ConnId id = 0) const { return timers.contains({kind, id}); }
  // Time left on a timer (it must be armed).
  std::chrono::milliseconds remaining(TimerKind kind, ConnId id = 0) const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(timers.at({kind, id}) - clock);
  }

  // Moves the clock forward by `d`, firing every timer that falls due, in order.
  void advance(Fsm& fsm, std::chrono::milliseconds d) {
    const Clock::time_point target = clock + d;
    while (true) {
      auto due = timers.end();
      for (auto it = timers.begin(); it != timers.end(); ++it) {
        if (it->second <= target && (due == timers.end() || it->second < due->second)) due = it;
      }
      if (due == timers.end()) break;
      const auto [kind, id] = due->first;
      clock = due->second;
      timers.erase(due);
      fsm.timer_expired(kind, id);
    }
    clock = target;
  }

  // Decoded messages sent on `id` (four-octet AS codec options).
  std::vector<Message> messages(ConnId id) const {
    std::vector<Message> out;
    auto it = sent.find(id);
    if (it == sent.end()) return out;
    for (const Bytes& b : it->second) {
      auto m = decode_message(ByteSpan(b), CodecOptions{});
      if (m) out.push_back(m.value());
    }
    return out;
  }

  std::vector<ConnId> connects;
  std::map<ConnId, std::vector<Bytes>> sent;
  std::set<ConnId> closed;
  std::map<std::pair<TimerKind, ConnId>, Clock::time_point> timers;
  Clock::time_point clock{std::chrono::hours(1)};
};

class RecordingListener : public FsmListener {
 public:
  void state_changed(SessionState /*from*/, SessionState to) override { states.push_back(to); }
  void established(const Negotiated& n) override { negotiated.push_back(n); }
  void update_received(UpdateMessage&& u) override { updates.push_back(std::move(u)); }
  void route_refresh_received(Family f) override { refreshes.push_back(f); }
  void down(const DownInfo& info) override { downs.push_back(info); }

  std::vector<SessionState> states;
  std::vector<Negotiated> negotiated;
  std::vector<UpdateMessage> updates;
  std::vector<Family> refreshes;
  std::vector<DownInfo> downs;
};

}  // namespace kr::bgp::session::test
