#include "issuance/retry_policy.h"

#include <algorithm>

namespace certfleet::issuance {
namespace {

// Doubling stops once past the cap, so large failure counts cannot overflow.
Duration UnjitteredDelay(const RetryPolicy& policy, int failure_count) {
  Duration delay = policy.first_delay;
  for (int i = 1; i < failure_count && delay < policy.max_delay; ++i) delay *= 2;
  return std::min(delay, policy.max_delay);
}

// The jitter span in per-mille (j × 10 for j percent).
std::int64_t JitterPerMille(const RetryPolicy& policy) {
  return std::clamp(policy.jitter_percent, 0, 100) * 10;
}

}  // namespace

Duration RetryDelay(const RetryPolicy& policy, int failure_count, std::uint64_t seed) {
  const Duration base = UnjitteredDelay(policy, std::max(failure_count, 1));
  // Jitter in per-mille steps: factor = 1 + (k - j) / 1000 with k in [0, 2j].
  const std::int64_t j = JitterPerMille(policy);
  const auto k = static_cast<std::int64_t>(seed % static_cast<std::uint64_t>(2 * j + 1));
  const Duration jittered = base + base * (k - j) / 1000;
  return std::clamp(jittered, Duration{0}, policy.max_delay);
}

Duration RemainingLifeCap(const RetryPolicy& policy, Duration remaining) {
  if (remaining <= Duration{0}) return std::max(policy.min_delay, policy.expired_max_delay);
  if (policy.remaining_life_divisor < 1) return Duration::max();
  return std::max(policy.min_delay, remaining / policy.remaining_life_divisor);
}

TimePoint NextAttemptAfterFailure(const RetryPolicy& policy, const Failure& failure) {
  Duration delay = RetryDelay(policy, failure.failure_count, failure.seed);
  if (failure.minimum_delay) delay = std::max(delay, *failure.minimum_delay);
  if (failure.not_after) {
    const auto remaining = std::chrono::duration_cast<Duration>(*failure.not_after - failure.now);
    const Duration cap = RemainingLifeCap(policy, remaining);
    if (cap < delay) {
      // Jitter the cap downwards only (factor in [1 - j%, 1]), never below min_delay.
      const std::int64_t j = JitterPerMille(policy);
      const auto k =
          static_cast<std::int64_t>((failure.seed / 7919) % static_cast<std::uint64_t>(j + 1));
      delay = std::max(cap - cap * k / 1000, std::min(cap, policy.min_delay));
    }
  }
  if (failure.retry_after && *failure.retry_after > delay) delay = *failure.retry_after;
  return failure.now + delay;
}

}  // namespace certfleet::issuance
