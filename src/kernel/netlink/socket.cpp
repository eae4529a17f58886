#include "kernel/netlink/socket.h"

#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "kernel/netlink/error.h"

namespace kr::netlink {
namespace {

// Big enough for any datagram the kernel sends to a netlink reader (dump
// skbs are capped at 32 KiB), so nothing is truncated.
constexpr std::size_t kReceiveBytes = std::size_t{64} * 1024;

// Opens fd of a namespace file; throws naming the path.
int open_namespace(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw NetlinkError("open network namespace " + path, errno);
  return fd;
}

// Creates a netlink socket inside the namespace at path: setns() changes only
// the calling thread's namespace, and the thread returns to its own before
// this returns (also on failure).
mnl_socket* open_in_namespace(int bus, const std::string& path) {
  int original = open_namespace("/proc/thread-self/ns/net");
  int target = -1;
  try {
    target = open_namespace(path);
  } catch (...) {
    close(original);
    throw;
  }
  if (setns(target, CLONE_NEWNET) != 0) {
    int error = errno;
    close(target);
    close(original);
    throw NetlinkError("enter network namespace " + path, error);
  }
  close(target);
  mnl_socket* socket = mnl_socket_open2(bus, SOCK_CLOEXEC);
  int open_error = errno;
  int restored = setns(original, CLONE_NEWNET);
  int restore_error = errno;
  close(original);
  if (restored != 0) {
    if (socket != nullptr) mnl_socket_close(socket);
    throw NetlinkError("return from network namespace " + path, restore_error);
  }
  if (socket == nullptr) throw NetlinkError("open netlink socket in " + path, open_error);
  return socket;
}

// The kernel's answer to one request, read from an NLMSG_ERROR message.
BatchResult read_error(const nlmsghdr* nlh) {
  BatchResult result;
  const auto* err = family_header<nlmsgerr>(nlh);
  if (err == nullptr) return BatchResult{EPROTO, "truncated error message"};
  result.error = -err->error;
  if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) != 0) {
    // With NETLINK_CAP_ACK the echoed request is only its header (NLM_F_CAPPED).
    std::size_t offset = sizeof(nlmsgerr);
    if ((nlh->nlmsg_flags & NLM_F_CAPPED) == 0) {
      if (err->msg.nlmsg_len < sizeof(nlmsghdr)) return result;
      offset += err->msg.nlmsg_len - sizeof(nlmsghdr);
    }
    auto attributes = Attributes::of_message(nlh, offset, NLMSGERR_ATTR_MAX);
    result.kernel_message = attributes.string(NLMSGERR_ATTR_MSG).value_or("");
  }
  return result;
}

}  // namespace

Socket::Socket(int bus, const std::string& netns_path) : receive_buffer_(kReceiveBytes) {
  if (netns_path.empty()) {
    socket_ = mnl_socket_open2(bus, SOCK_CLOEXEC);
    if (socket_ == nullptr) throw NetlinkError("open netlink socket", errno);
  } else {
    socket_ = open_in_namespace(bus, netns_path);
  }
  if (mnl_socket_bind(socket_, 0, MNL_SOCKET_AUTOPID) < 0) {
    int error = errno;
    mnl_socket_close(socket_);
    throw NetlinkError("bind netlink socket", error);
  }
  // Short acks (no echo of the request) and the kernel's error text; both
  // are optional, so older kernels that refuse them are fine.
  int on = 1;
  mnl_socket_setsockopt(socket_, NETLINK_CAP_ACK, &on, sizeof(on));
  mnl_socket_setsockopt(socket_, NETLINK_EXT_ACK, &on, sizeof(on));
  // Room for a whole batch of acks with margin; beyond net.core.rmem_max only root may ask
  // (SO_RCVBUFFORCE), and the default is enough for kBatchMessages anyway.
  int receive_buffer = 1 << 20;
  if (setsockopt(mnl_socket_get_fd(socket_), SOL_SOCKET, SO_RCVBUFFORCE, &receive_buffer,
                 sizeof(receive_buffer)) != 0) {
    setsockopt(mnl_socket_get_fd(socket_), SOL_SOCKET, SO_RCVBUF, &receive_buffer,
               sizeof(receive_buffer));
  }
  port_id_ = mnl_socket_get_portid(socket_);
  next_sequence_ = static_cast<std::uint32_t>(std::time(nullptr));
}

Socket::~Socket() { mnl_socket_close(socket_); }

std::uint32_t Socket::stamp(Message& request, std::uint16_t extra_flags) {
  request.header()->nlmsg_seq = next_sequence_++;
  request.header()->nlmsg_flags |= extra_flags;
  return request.header()->nlmsg_seq;
}

void Socket::send(const void* data, std::size_t size, const std::string& operation) {
  if (mnl_socket_sendto(socket_, data, size) < 0) throw NetlinkError(operation + ": send", errno);
}

void Socket::execute(Message& request) {
  std::vector<Message> one{std::move(request)};
  auto results = execute_batch(one);
  request = std::move(one.front());
  if (results.front().error != 0) {
    throw NetlinkError(request.operation(), results.front().error, results.front().kernel_message);
  }
}

std::vector<BatchResult> Socket::execute_batch(std::vector<Message>& requests) {
  std::vector<BatchResult> results(requests.size());
  std::vector<std::uint8_t> batch;
  batch.reserve(kBatchBytes);
  std::size_t next = 0;
  while (next < requests.size()) {
    std::size_t batch_start = next;
    batch.clear();
    std::uint32_t first_sequence = 0;
    std::uint32_t last_sequence = 0;
    while (next < requests.size() && next - batch_start < kBatchMessages &&
           (batch.empty() || batch.size() + requests[next].size() <= kBatchBytes)) {
      last_sequence = stamp(requests[next], NLM_F_ACK);
      if (next == batch_start) first_sequence = last_sequence;
      auto bytes = requests[next].bytes();
      batch.insert(batch.end(), bytes.begin(), bytes.end());
      ++next;
    }
    send(batch.data(), batch.size(), requests[batch_start].operation());
    collect_acks(first_sequence, last_sequence, results, requests, batch_start);
  }
  return results;
}

void Socket::collect_acks(std::uint32_t first, std::uint32_t last,
                          std::vector<BatchResult>& results, const std::vector<Message>& requests,
                          std::size_t offset) {
  std::size_t pending = last - first + 1;
  while (pending > 0) {
    ssize_t received = mnl_socket_recvfrom(socket_, receive_buffer_.data(), receive_buffer_.size());
    if (received < 0) throw NetlinkError(requests[offset].operation() + ": receive", errno);
    for_each_message({receive_buffer_.data(), static_cast<std::size_t>(received)},
                     [&](const nlmsghdr* nlh) {
                       std::uint32_t sequence = nlh->nlmsg_seq;
                       if (nlh->nlmsg_type != NLMSG_ERROR || sequence - first > last - first) {
                         return;  // a reply to an earlier request, or not an ack
                       }
                       results[offset + (sequence - first)] = read_error(nlh);
                       --pending;
                     });
  }
}

void Socket::query(Message& request, const std::function<void(const nlmsghdr*)>& on_reply) {
  const bool is_dump = (request.header()->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
  constexpr int kAttempts = 3;
  for (int attempt = 1;; ++attempt) {
    std::uint32_t sequence = stamp(request, 0);
    send(request.bytes().data(), request.size(), request.operation());
    std::vector<std::vector<std::uint8_t>> replies;
    bool done = false;
    bool interrupted = false;
    while (!done) {
      ssize_t received =
          mnl_socket_recvfrom(socket_, receive_buffer_.data(), receive_buffer_.size());
      if (received < 0) throw NetlinkError(request.operation() + ": receive", errno);
      BatchResult failure;
      for_each_message(
          {receive_buffer_.data(), static_cast<std::size_t>(received)}, [&](const nlmsghdr* nlh) {
            if (done || nlh->nlmsg_seq != sequence) return;
            if ((nlh->nlmsg_flags & NLM_F_DUMP_INTR) != 0) interrupted = true;
            if (nlh->nlmsg_type == NLMSG_ERROR) {
              failure = read_error(nlh);
              done = true;
            } else if (nlh->nlmsg_type == NLMSG_DONE) {
              // A dump that failed midway reports the errno in NLMSG_DONE's payload.
              if (const auto* status = family_header<int>(nlh); status != nullptr && *status < 0) {
                failure.error = -*status;
              }
              done = true;
            } else if (nlh->nlmsg_type >= NLMSG_MIN_TYPE) {
              const auto* bytes = reinterpret_cast<const std::uint8_t*>(nlh);
              replies.emplace_back(bytes, bytes + nlh->nlmsg_len);
              if (!is_dump) done = true;
            }
          });
      if (failure.error != 0) {
        throw NetlinkError(request.operation(), failure.error, failure.kernel_message);
      }
    }
    if (interrupted && attempt < kAttempts) continue;
    if (interrupted) throw NetlinkError(request.operation() + ": listing kept changing", EAGAIN);
    for (const auto& reply : replies) on_reply(reinterpret_cast<const nlmsghdr*>(reply.data()));
    return;
  }
}

}  // namespace kr::netlink
