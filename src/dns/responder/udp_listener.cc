#include "dns/responder/udp_listener.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>

namespace certfleet::dns::internal {
namespace {

constexpr int kBatch = 32;
constexpr std::size_t kMaxQuery = 4096;  // larger datagrams are not DNS queries we answer

Error BindError(const ServerAddress& address, std::string_view step) {
  return Error{ErrorCode::kIo, "DNS responder: " + std::string(step) + " UDP " +
                                   address.ToString() + ": " + std::strerror(errno)};
}

Result<SocketFd> BindOne(const ServerAddress& address) {
  sockaddr_storage storage{};
  const socklen_t length = ToSockaddr(address, &storage);
  SocketFd fd(::socket(storage.ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd.valid()) return Fail(BindError(address, "creating a socket for"));
  const int on = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&storage), length) != 0)
    return Fail(BindError(address, "binding"));
  return fd;
}

std::uint16_t BoundPort(int fd) {
  sockaddr_storage storage{};
  socklen_t length = sizeof storage;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length);
  return FromSockaddr(storage).port;
}

// One batch of datagrams: buffers, addresses and the message headers pointing at them.
struct Batch {
  std::array<std::array<char, kMaxQuery>, kBatch> buffers{};
  std::array<sockaddr_storage, kBatch> sources{};
  std::array<iovec, kBatch> in_iov{};
  std::array<mmsghdr, kBatch> in{};
  std::array<std::string, kBatch> replies;
  std::array<iovec, kBatch> out_iov{};
  std::array<mmsghdr, kBatch> out{};

  void PrepareReceive() {
    for (int i = 0; i < kBatch; ++i) {
      const auto k = static_cast<std::size_t>(i);
      in_iov[k] = {buffers[k].data(), kMaxQuery};
      in[k] = {};
      in[k].msg_hdr.msg_name = &sources[k];
      in[k].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
      in[k].msg_hdr.msg_iov = &in_iov[k];
      in[k].msg_hdr.msg_iovlen = 1;
    }
  }
  void AddReply(std::size_t slot, std::size_t from) {
    out_iov[slot] = {replies[slot].data(), replies[slot].size()};
    out[slot] = {};
    out[slot].msg_hdr.msg_name = &sources[from];
    out[slot].msg_hdr.msg_namelen = in[from].msg_hdr.msg_namelen;
    out[slot].msg_hdr.msg_iov = &out_iov[slot];
    out[slot].msg_hdr.msg_iovlen = 1;
  }
};

// Judges and answers datagram `i`; true when a reply was put into `slot`.
bool Handle(Batch& batch, std::size_t i, std::size_t slot, const ZoneAnswerer& answerer,
            ResponseRateLimiter& limiter, ServerCounters& counters,
            std::chrono::steady_clock::time_point now) {
  const mmsghdr& message = batch.in[i];
  if ((message.msg_hdr.msg_flags & MSG_TRUNC) != 0) return false;
  const std::string_view query(batch.buffers[i].data(), message.msg_len);
  std::string& reply = batch.replies[slot];
  switch (limiter.Decide(batch.sources[i], now)) {
    case RateDecision::kAnswer:
      if (!answerer.Answer(query, Transport::kUdp, &reply)) return false;
      ServerCounters::Bump(counters.udp_answered);
      return true;
    case RateDecision::kSlip:
      if (!answerer.Truncated(query, &reply)) return false;
      ServerCounters::Bump(counters.udp_slipped);
      return true;
    case RateDecision::kDrop:
      return false;
  }
  return false;
}

// Sends the first `count` replies. A reply the kernel refuses (e.g. to port 0) is skipped;
// a full socket buffer (overload) drops the rest, as any UDP server must.
void SendAll(int fd, Batch& batch, std::size_t count) {
  std::size_t sent = 0;
  while (sent < count) {
    const int n =
        ::sendmmsg(fd, batch.out.data() + sent, static_cast<unsigned>(count - sent), MSG_DONTWAIT);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      ++sent;
    } else {
      return;
    }
  }
}

}  // namespace

Result<std::unique_ptr<UdpListener>> UdpListener::Bind(const ServerAddress& address, int threads) {
  std::unique_ptr<UdpListener> listener(new UdpListener());
  ServerAddress next = address;
  for (int i = 0; i < std::max(threads, 1); ++i) {
    auto fd = BindOne(next);
    if (!fd) return Fail(fd.error());
    next.port = BoundPort(fd->get());
    listener->sockets_.push_back(std::move(*fd));
  }
  listener->port_ = next.port;
  listener->stop_event_ = SocketFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!listener->stop_event_.valid())
    return Fail(ErrorCode::kIo, std::string("DNS responder: eventfd: ") + std::strerror(errno));
  return listener;
}

UdpListener::~UdpListener() { Stop(); }

void UdpListener::Start(const ZoneAnswerer& answerer, ResponseRateLimiter& limiter,
                        ServerCounters& counters) {
  for (const SocketFd& socket : sockets_) {
    threads_.emplace_back([this, fd = socket.get(), &answerer, &limiter, &counters] {
      Loop(fd, answerer, limiter, counters);
    });
  }
}

void UdpListener::Stop() {
  if (stop_event_.valid()) {
    const std::uint64_t one = 1;
    (void)::write(stop_event_.get(), &one, sizeof one);
  }
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

void UdpListener::Loop(int fd, const ZoneAnswerer& answerer, ResponseRateLimiter& limiter,
                       ServerCounters& counters) const {
  auto batch = std::make_unique<Batch>();
  while (true) {
    std::array<pollfd, 2> waits{{{fd, POLLIN, 0}, {stop_event_.get(), POLLIN, 0}}};
    if (::poll(waits.data(), waits.size(), -1) < 0 && errno != EINTR) return;
    if ((waits[1].revents & POLLIN) != 0) return;
    batch->PrepareReceive();
    const int received = ::recvmmsg(fd, batch->in.data(), kBatch, MSG_DONTWAIT, nullptr);
    if (received <= 0) continue;
    ServerCounters::Bump(counters.udp_queries, static_cast<std::uint64_t>(received));
    const auto now = std::chrono::steady_clock::now();
    std::size_t replies = 0;
    for (std::size_t i = 0; i < static_cast<std::size_t>(received); ++i) {
      if (Handle(*batch, i, replies, answerer, limiter, counters, now)) {
        batch->AddReply(replies, i);
        ++replies;
      } else {
        ServerCounters::Bump(counters.udp_dropped);
      }
    }
    SendAll(fd, *batch, replies);
  }
}

}  // namespace certfleet::dns::internal
