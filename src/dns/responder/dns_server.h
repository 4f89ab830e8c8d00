// DnsServer: the hub's authoritative DNS listener — UDP and TCP on one address and port
// (RFC 1035 §4.2, RFC 7766) — answering through a ZoneAnswerer.
//
//   auto server = DnsServer::Start({.listen = "127.0.0.1:0"}, answerer);
//   std::uint16_t port = (*server)->port();   // same port for UDP and TCP
//
// UDP: `udp_threads` threads, each with its own SO_REUSEPORT socket, read and answer
// datagrams in batches (recvmmsg/sendmmsg). Every answer first passes the per-source
// ResponseRateLimiter (drop or truncated "slip" beyond the limit). TCP: one thread
// (Asio), at most `max_tcp_connections` at once and `max_tcp_per_source` from one
// address; a connection idle for `tcp_idle_timeout` is closed; queries on a connection
// are answered in order. TCP answers are not rate-limited (their source is not forged).
//
// Thread safety: Start/Stop/port/stats are safe from any thread; Stop is idempotent and
// also run by the destructor. The answerer must outlive the server.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "common/error.h"
#include "dns/responder/rate_limiter.h"
#include "dns/responder/zone_answer.h"
#include "dns/server_address.h"

namespace certfleet::dns {

struct DnsServerOptions {
  // "IP:PORT"; port 0 picks one that is free for both UDP and TCP.
  std::string listen = "127.0.0.1:0";
  int udp_threads = 1;
  RateLimit rate_limit;
  std::chrono::milliseconds tcp_idle_timeout{10'000};
  int max_tcp_connections = 512;
  int max_tcp_per_source = 32;
};

// Counters since start, for tests, logs and metrics.
struct DnsServerStats {
  std::uint64_t udp_queries = 0;
  std::uint64_t udp_answered = 0;  // full answers sent
  std::uint64_t udp_slipped = 0;   // truncated answers sent by the rate limit
  std::uint64_t udp_dropped = 0;   // no answer: rate limit, or nothing to answer
  std::uint64_t tcp_connections = 0;
  std::uint64_t tcp_refused = 0;  // connections over the limits, closed at once
  std::uint64_t tcp_queries = 0;
};

class DnsServer {
 public:
  // Binds UDP and TCP and starts the threads. kInvalidArgument for a malformed address,
  // kIo naming the address when it cannot be bound (e.g. port 53 without privilege).
  static Result<std::unique_ptr<DnsServer>> Start(DnsServerOptions options,
                                                  const ZoneAnswerer& answerer);
  ~DnsServer();
  DnsServer(const DnsServer&) = delete;
  DnsServer& operator=(const DnsServer&) = delete;

  std::uint16_t port() const;
  ServerAddress address() const;  // the bound address (port filled in)
  DnsServerStats stats() const;
  void Stop();

  struct Impl;

 private:
  explicit DnsServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace certfleet::dns
