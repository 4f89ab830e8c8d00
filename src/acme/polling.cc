#include "acme/polling.h"

#include <algorithm>

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
    // first_delay × growth_factor^attempt, computed step by step so it cannot overflow.
    delay = policy.first_delay;
    for (int i = 0; i < attempt && delay < policy.max_delay; ++i) delay *= policy.growth_factor;
    delay = std::min(delay, policy.max_delay);
  }
  auto remaining = std::chrono::duration_cast<Duration>(deadline - now);
  return std::min(delay, remaining);
}

}  // namespace certfleet::acme
