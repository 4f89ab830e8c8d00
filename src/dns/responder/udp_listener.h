// UdpListener: the DnsServer's UDP side — one SO_REUSEPORT socket and thread per
// `threads`, reading and answering datagrams in batches (recvmmsg/sendmmsg), each
// answer first judged by the rate limiter. Internal to DnsServer.
//
// Thread safety: Start once, Stop once (from any thread; joins the threads).
#pragma once

#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "common/error.h"
#include "dns/responder/counters.h"
#include "dns/responder/rate_limiter.h"
#include "dns/responder/zone_answer.h"
#include "dns/server_address.h"
#include "dns/socket_fd.h"

namespace certfleet::dns::internal {

class UdpListener {
 public:
  // Binds `threads` sockets to `address` (port 0: the kernel picks one port for all).
  static Result<std::unique_ptr<UdpListener>> Bind(const ServerAddress& address, int threads);
  ~UdpListener();

  std::uint16_t port() const { return port_; }
  void Start(const ZoneAnswerer& answerer, ResponseRateLimiter& limiter, ServerCounters& counters);
  void Stop();

 private:
  UdpListener() = default;
  void Loop(int fd, const ZoneAnswerer& answerer, ResponseRateLimiter& limiter,
            ServerCounters& counters) const;

  std::vector<SocketFd> sockets_;
  SocketFd stop_event_;  // eventfd: readable once Stop was called
  std::vector<std::thread> threads_;
  std::uint16_t port_ = 0;
};

}  // namespace certfleet::dns::internal
