// ResponseRateLimiter: how many UDP responses one source network gets per second (the
// idea of BIND's RRL). UDP source addresses can be forged, so without a limit the
// responder could be aimed at a victim as a reflector; with it, a flood from one
// address (or a /24, a /56 for IPv6) gets at most `per_second` answers a second, and
// of the queries beyond that every `slip`-th gets a tiny truncated answer (TC, no
// records, no larger than the query) so a real resolver behind the same network
// retries over TCP, which cannot be forged and is not limited.
//
// Thread safety: Decide may be called from many threads at once (one mutex; the table
// is swept when it grows past max_tracked).
#pragma once

#include <sys/socket.h>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace certfleet::dns {

struct RateLimit {
  int per_second = 200;  // responses per source network per second; 0 = no limit
  int slip = 2;          // every slip-th limited query gets a truncated answer; 0 = none
  std::size_t max_tracked = 100'000;  // source networks remembered at once
};

enum class RateDecision { kAnswer, kSlip, kDrop };

class ResponseRateLimiter {
 public:
  explicit ResponseRateLimiter(RateLimit limit) : limit_(limit) {}

  // What to do with one query from `source` at `now`.
  RateDecision Decide(const sockaddr_storage& source, std::chrono::steady_clock::time_point now);

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point refilled{};
    std::uint64_t limited = 0;  // queries over the limit so far (for slip)
  };
  void Sweep(std::chrono::steady_clock::time_point now);

  const RateLimit limit_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;  // key: the source network's bytes
};

}  // namespace certfleet::dns
