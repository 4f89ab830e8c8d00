// TcpListener: the DnsServer's TCP side (RFC 7766) — one Asio thread, length-prefixed
// messages answered in order, limits on connections in total and per source address,
// and an idle timeout. Internal to DnsServer.
//
// Thread safety: Start once, Stop once (from any thread; joins the thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "common/error.h"
#include "dns/responder/counters.h"
#include "dns/responder/zone_answer.h"
#include "dns/server_address.h"

namespace certfleet::dns::internal {

struct TcpLimits {
  std::chrono::milliseconds idle_timeout{10'000};
  int max_connections = 512;
  int max_per_source = 32;
};

class TcpListener {
 public:
  // Binds and listens on `address` (its port must be set: the UDP side chose it).
  static Result<std::unique_ptr<TcpListener>> Bind(const ServerAddress& address, TcpLimits limits);
  ~TcpListener();

  void Start(const ZoneAnswerer& answerer, ServerCounters& counters);
  void Stop();

  struct Impl;

 private:
  explicit TcpListener(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace certfleet::dns::internal
