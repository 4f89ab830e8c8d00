// Helpers of the server's connection caps (server internals; see server.h "Connection
// caps").
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>

namespace certfleet::http {

// How many connections the server may hold: `configured` (0 = no own cap), but never more
// than the process' open-file soft limit less `reserve` descriptors for everything else
// (database, outgoing HTTP, logs). At least 16.
std::size_t EffectiveMaxConnections(std::size_t configured, std::size_t reserve = 256);

// Lets a repeated warning through at most once per `interval`, counting the rest:
//   if (auto n = limiter.Pass()) spdlog::warn("... ({} more since the last warning)", *n - 1);
// Thread-safe.
class LogLimiter {
 public:
  explicit LogLimiter(std::chrono::steady_clock::duration interval = std::chrono::seconds(10))
      : interval_(interval) {}

  // 0 when this occurrence is to be suppressed; otherwise how many occurrences (this one
  // included) happened since the last one that passed.
  std::size_t Pass();

 private:
  const std::chrono::steady_clock::duration interval_;
  std::mutex mu_;
  bool passed_once_ = false;
  std::chrono::steady_clock::time_point last_;
  std::size_t count_ = 0;
};

// True when the peer of the connected socket `fd` has closed it or reset it (FIN/RST
// received), without reading anything. Works under TLS too: it looks at the TCP state.
bool PeerHasClosed(int fd);

}  // namespace certfleet::http
