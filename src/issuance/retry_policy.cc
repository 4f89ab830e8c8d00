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

}  // namespace

Duration RetryDelay(const RetryPolicy& policy, int failure_count, std::uint64_t seed) {
  const Duration base = UnjitteredDelay(policy, std::max(failure_count, 1));
  // Jitter in per-mille steps: factor = 1 + (k - j) / 1000 with k in [0, 2j].
  const std::int64_t j = std::clamp(policy.jitter_percent, 0, 100) * 10;
  const auto k = static_cast<std::int64_t>(seed % static_cast<std::uint64_t>(2 * j + 1));
  const Duration jittered = base + base * (k - j) / 1000;
  return std::clamp(jittered, Duration{0}, policy.max_delay);
}

TimePoint NextAttemptAfterFailure(const RetryPolicy& policy, TimePoint now, int failure_count,
                                  std::optional<Duration> retry_after, std::uint64_t seed) {
  Duration delay = RetryDelay(policy, failure_count, seed);
  if (retry_after && *retry_after > delay) delay = *retry_after;
  return now + delay;
}

}  // namespace certfleet::issuance
