// Retry policy: when to try a failed domain again.
//
// Exponential backoff from about a minute, doubling per consecutive failure, capped at
// one day, with ±15% jitter so a thousand domains that failed together (a CA outage)
// do not all come back in the same second.
//
// Near expiry the backoff gives way to the certificate's remaining life: a retry never
// waits longer than a fraction (1/remaining_life_divisor) of the life left, nor less than
// min_delay, so a 6-day certificate whose renewal fails during a CA outage is tried again
// every few hours, then minutes, instead of once a day after it has expired (issue 20:
// with 300-second certificates the old rule retried 15 s after expiry although the CA had
// been back for 78 s). An expired certificate is retried at least every expired_max_delay.
// A CA's Retry-After (rateLimited, RFC 8555 §6.6) always wins when it asks for a later
// time: hammering a CA that said "not before T" only earns more refusals.
//
// Pure: clock and randomness come in.
#pragma once

#include <cstdint>
#include <optional>

#include "common/clock.h"

namespace certfleet::issuance {

struct RetryPolicy {
  Duration first_delay{std::chrono::minutes(1)};
  Duration max_delay{std::chrono::hours(24)};
  int jitter_percent = 15;  // the delay is scaled by a factor in [1 - j%, 1 + j%]
  // A retry waits at most remaining life / divisor (0 disables the rule) ...
  int remaining_life_divisor = 10;
  // ... but never less than this, so a failure that is not the CA's (validation refused)
  // cannot turn into a request every second in a certificate's last minutes.
  Duration min_delay{std::chrono::seconds(15)};
  // After expiry the remaining life is zero; retries keep coming at least this often.
  Duration expired_max_delay{std::chrono::hours(1)};
};

// The delay after the `failure_count`-th consecutive failure (1 = the first failure):
// first_delay × 2^(failure_count - 1), jittered by `seed`, never above max_delay and
// never below zero. failure_count < 1 is treated as 1.
Duration RetryDelay(const RetryPolicy& policy, int failure_count, std::uint64_t seed);

// The longest a retry may wait with `remaining` life left on the current certificate
// (≤ 0: expired): max(min_delay, remaining / divisor), or expired_max_delay once expired.
Duration RemainingLifeCap(const RetryPolicy& policy, Duration remaining);

// One failed attempt, as the retry decision sees it.
struct Failure {
  TimePoint now{};
  int failure_count = 1;                  // consecutive failures, this one included
  std::optional<Duration> retry_after;    // the CA's Retry-After, if it sent one
  std::optional<Duration> minimum_delay;  // our own floor for this kind of failure
                                          // (e.g. rateLimited without Retry-After)
  std::optional<TimePoint> not_after;     // the current certificate's expiry; none for
                                          // a domain that never had one
  std::uint64_t seed = 0;                 // jitter
};

// The next attempt time: now + max(RetryDelay, minimum_delay), cut down to
// RemainingLifeCap (jittered downwards by up to jitter_percent, so domains that failed
// together spread out) when the domain has a certificate, then moved to now +
// retry_after when the CA asked for a longer wait.
TimePoint NextAttemptAfterFailure(const RetryPolicy& policy, const Failure& failure);

}  // namespace certfleet::issuance
