// One netlink socket (NETLINK_ROUTE or NETLINK_GENERIC), optionally opened
// inside another network namespace: a socket keeps the namespace it was
// created in, so every request on it acts there. Blocking; meant for a
// controller's worker thread, one socket per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kernel/netlink/message.h"

struct mnl_socket;

namespace kr::netlink {

// The outcome of one request of a batch.
struct BatchResult {
  int error = 0;               // 0 on success, else a positive errno
  std::string kernel_message;  // the kernel's extended-ack text, when it sent one
};

class Socket {
 public:
  // bus: NETLINK_ROUTE or NETLINK_GENERIC. netns_path: a network namespace file
  // (/var/run/netns/NAME, /proc/PID/ns/net) to open the socket in; empty: the caller's.
  // Throws NetlinkError when the socket cannot be opened or the namespace entered.
  explicit Socket(int bus, const std::string& netns_path = {});
  ~Socket();
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  // Sends one request with NLM_F_ACK and waits for the kernel's answer. Throws NetlinkError
  // (the request's operation, errno, kernel message) when the kernel refuses it.
  void execute(Message& request);

  // Sends one request and calls on_reply for each message the kernel answers with (a
  // NLM_F_DUMP listing, or the single reply of a "get"), after the whole answer has arrived.
  // A dump the kernel marks inconsistent (NLM_F_DUMP_INTR: the table changed meanwhile) is
  // repeated, up to 3 times. Throws NetlinkError on an error answer.
  void query(Message& request, const std::function<void(const nlmsghdr*)>& on_reply);

  // Sends many requests with as few sendmsg() calls as possible: requests are packed back to
  // back into buffers of up to kBatchBytes and kBatchMessages, which the kernel processes one
  // message after the other (netlink_rcv_skb) inside that sendmsg(), queueing one ack per
  // message on this socket; a failing request does not stop the ones after it.
  // Returns one result per request, in order. Never throws for a refused request; throws
  // NetlinkError only when the socket itself fails.
  std::vector<BatchResult> execute_batch(std::vector<Message>& requests);

  // Kept well under the default socket send buffer (sk_sndbuf, ~208 KiB) that bounds one
  // netlink sendmsg().
  static constexpr std::size_t kBatchBytes = std::size_t{32} * 1024;
  // All acks of one buffer wait in the socket's receive queue until it is read, each costing
  // ~1 KiB of receive buffer (skb overhead); more would overflow it (ENOBUFS) and lose acks.
  static constexpr std::size_t kBatchMessages = 128;

 private:
  std::uint32_t stamp(Message& request, std::uint16_t extra_flags);
  void send(const void* data, std::size_t size, const std::string& operation);
  // Receives until every sequence number in [first, last] has been acknowledged or failed.
  void collect_acks(std::uint32_t first, std::uint32_t last, std::vector<BatchResult>& results,
                    const std::vector<Message>& requests, std::size_t offset);

  mnl_socket* socket_ = nullptr;
  std::uint32_t port_id_ = 0;
  std::uint32_t next_sequence_ = 0;
  std::vector<std::uint8_t> receive_buffer_;
};

}  // namespace kr::netlink
