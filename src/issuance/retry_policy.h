// Retry policy: when to try a failed domain again.
//
// Exponential backoff from about a minute, doubling per consecutive failure, capped at
// one day, with ±15% jitter so a thousand domains that failed together (a CA outage)
// do not all come back in the same second. A CA's Retry-After (rateLimited, RFC 8555
// §6.6) wins when it asks for a later time. Pure: clock and randomness come in.
#pragma once

#include <cstdint>
#include <optional>

#include "common/clock.h"

namespace certfleet::issuance {

struct RetryPolicy {
  Duration first_delay{std::chrono::minutes(1)};
  Duration max_delay{std::chrono::hours(24)};
  int jitter_percent = 15;  // the delay is scaled by a factor in [1 - j%, 1 + j%]
};

// The delay after the `failure_count`-th consecutive failure (1 = the first failure):
// first_delay × 2^(failure_count - 1), jittered by `seed`, never above max_delay and
// never below zero. failure_count < 1 is treated as 1.
Duration RetryDelay(const RetryPolicy& policy, int failure_count, std::uint64_t seed);

// The next attempt time: now + RetryDelay, or now + retry_after when the CA asked for
// a longer wait.
TimePoint NextAttemptAfterFailure(const RetryPolicy& policy, TimePoint now, int failure_count,
                                  std::optional<Duration> retry_after, std::uint64_t seed);

}  // namespace certfleet::issuance
