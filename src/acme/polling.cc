#include "acme/polling.h"

#include <algorithm>
#include <cmath>

namespace certfleet::acme {

std::optional<Duration> NextPollDelay(const PollPolicy& policy, int attempt,
                                      std::optional<Duration> retry_after, TimePoint started,
                                      TimePoint now) {
  const TimePoint deadline = started + policy.deadline;
  if (now >= deadline) return std::nullopt;
  Duration delay;
  if (retry_after) {
    delay = std::clamp(*retry_after, Duration(0), policy.max_retry_after);
  } else {
    // first_delay × growth_factor^attempt, computed step by step so it cannot overflow;
    // rounded up so a 1 ms delay still grows.
    delay = policy.first_delay;
    for (int i = 0; i < attempt && delay < policy.max_delay; ++i) {
      const double grown = std::ceil(static_cast<double>(delay.count()) * policy.growth_factor);
      delay = std::max(delay + Duration(1), Duration(static_cast<Duration::rep>(grown)));
    }
    delay = std::min(delay, policy.max_delay);
  }
  auto remaining = std::chrono::duration_cast<Duration>(deadline - now);
  return std::min(delay, remaining);
}

}  // namespace certfleet::acme
