// Pure decisions of the notifier, with time passed in (tested without servers).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"

namespace certfleet::notify {

struct RetryPolicy {
  Duration base{std::chrono::seconds(30)};  // delay after the first failure
  Duration cap{std::chrono::hours(1)};      // the delay never grows beyond this
};

// Delay before the next delivery attempt after `attempts` failed ones (≥ 1):
// base · 2^(attempts−1), capped. No jitter: each channel has one worker, so retries
// of different messages cannot stampede one receiver.
Duration RetryDelay(const RetryPolicy& policy, int attempts);

// Warning thresholds in whole days before not_after, e.g. {30, 14, 7, 1}.
// Returns the smallest threshold ≥ the time left, i.e. the warning that is due now;
// nullopt while more than the largest threshold remains. 0 means "already expired".
// Only the smallest due threshold is returned, so a hub that was down for a week sends
// the 7-day warning, not a late 30-day and 14-day one as well.
std::optional<int> DueExpiryThreshold(TimePoint now, TimePoint not_after,
                                      const std::vector<int>& thresholds_days);

// True when the agent has not reported for longer than `after`. Machines whose agent
// never reported are not "unseen" (no agent installed yet).
bool AgentOverdue(TimePoint now, std::optional<TimePoint> last_seen, Duration after);

// "2026-12-05 10:00 UTC": a time for people (minutes are enough in chat).
std::string HumanTime(TimePoint t);

// "3 days", "5 h 20 min", "45 min", "12 s": how long, for people.
std::string HumanDuration(Duration d);

}  // namespace certfleet::notify
