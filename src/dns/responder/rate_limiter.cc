#include "dns/responder/rate_limiter.h"

#include <netinet/in.h>

#include <algorithm>

namespace certfleet::dns {
namespace {

// The source network: IPv4 /24, IPv6 /56 (one customer's allocation).
std::string NetworkKey(const sockaddr_storage& source) {
  if (source.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&source);
    return std::string(reinterpret_cast<const char*>(v6->sin6_addr.s6_addr), 7);
  }
  const auto* v4 = reinterpret_cast<const sockaddr_in*>(&source);
  const auto* bytes = reinterpret_cast<const char*>(&v4->sin_addr.s_addr);
  return std::string(bytes, 3);
}

}  // namespace

RateDecision ResponseRateLimiter::Decide(const sockaddr_storage& source,
                                         std::chrono::steady_clock::time_point now) {
  if (limit_.per_second <= 0) return RateDecision::kAnswer;
  const double rate = limit_.per_second;
  std::lock_guard lock(mu_);
  if (buckets_.size() >= limit_.max_tracked) Sweep(now);
  auto [it, inserted] = buckets_.try_emplace(NetworkKey(source));
  Bucket& bucket = it->second;
  if (inserted) {
    bucket.tokens = rate;  // a full second's worth to start with
    bucket.refilled = now;
  }
  const double elapsed = std::chrono::duration<double>(now - bucket.refilled).count();
  bucket.tokens = std::min(rate, bucket.tokens + elapsed * rate);
  bucket.refilled = now;
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return RateDecision::kAnswer;
  }
  ++bucket.limited;
  if (limit_.slip > 0 && bucket.limited % static_cast<std::uint64_t>(limit_.slip) == 0)
    return RateDecision::kSlip;
  return RateDecision::kDrop;
}

// Forgets networks whose bucket has refilled (they are not limited any more); if that is
// not enough (a flood from many networks), forgets everything: limits restart full.
void ResponseRateLimiter::Sweep(std::chrono::steady_clock::time_point now) {
  std::erase_if(buckets_, [&](const auto& entry) {
    return now - entry.second.refilled > std::chrono::seconds(1);
  });
  if (buckets_.size() >= limit_.max_tracked) buckets_.clear();
}

}  // namespace certfleet::dns
