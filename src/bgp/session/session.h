// One configured BGP neighbor on the wire: the FSM (fsm.h) plus its TCP
// connections and timers on a Boost.Asio io_context.
//
// Outgoing connections are bound to the configured local address, carry the
// TCP MD5 key and TTL before connect(); incoming ones are handed over by the
// speaker's listener (offer_connection). Every call must be made on the
// io_context's thread.
#pragma once

#include <memory>
#include <optional>

#include "bgp/session/fsm.h"

namespace boost::asio {
class io_context;
}

namespace kr::bgp::session {

class Session {
 public:
  // `listener` must outlive the Session.
  Session(boost::asio::io_context& io, SessionConfig config, FsmListener& listener);
  // Closes every socket without a NOTIFICATION and without callbacks (what a
  // crash or a graceful-restart exit looks like to the peer).
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start();
  void stop(std::optional<Notification> notify);
  void reset(const Notification& notify);
  void set_restarting(bool restarting);

  // A connection the listener accepted from this peer's address; the
  // Session takes ownership of the file descriptor.
  void offer_connection(int fd);

  // Sends one encoded UPDATE; false unless Established.
  bool send_update(Bytes message);

  const Fsm& fsm() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kr::bgp::session
