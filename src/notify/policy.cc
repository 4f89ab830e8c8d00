#include "notify/policy.h"

#include <algorithm>

#include "common/time_format.h"

namespace certfleet::notify {

Duration RetryDelay(const RetryPolicy& policy, int attempts) {
  Duration delay = policy.base;
  for (int i = 1; i < attempts && delay < policy.cap; ++i) delay *= 2;
  return std::min(delay, policy.cap);
}

std::optional<int> DueExpiryThreshold(TimePoint now, TimePoint not_after,
                                      const std::vector<int>& thresholds_days) {
  if (not_after <= now) return 0;
  Duration left = std::chrono::duration_cast<Duration>(not_after - now);
  std::optional<int> due;
  for (int days : thresholds_days) {
    if (days <= 0 || left > std::chrono::days(days)) continue;
    if (!due || days < *due) due = days;
  }
  return due;
}

bool AgentOverdue(TimePoint now, std::optional<TimePoint> last_seen, Duration after) {
  return last_seen.has_value() && now - *last_seen > after;
}

std::string HumanTime(TimePoint t) {
  std::string rfc = FormatRfc3339(t);  // 2026-12-05T10:00:00Z
  return rfc.substr(0, 10) + " " + rfc.substr(11, 5) + " UTC";
}

std::string HumanDuration(Duration d) {
  using std::chrono::duration_cast;
  auto secs = duration_cast<std::chrono::seconds>(d).count();
  if (secs < 0) secs = 0;
  const long long days = secs / 86400;
  const long long hours = (secs % 86400) / 3600;
  const long long minutes = (secs % 3600) / 60;
  if (days >= 2) return std::to_string(days) + " days";
  if (days == 1) return hours == 0 ? "1 day" : "1 day " + std::to_string(hours) + " h";
  if (hours > 0) {
    return minutes == 0 ? std::to_string(hours) + " h"
                        : std::to_string(hours) + " h " + std::to_string(minutes) + " min";
  }
  if (minutes > 0) return std::to_string(minutes) + " min";
  return std::to_string(secs) + " s";
}

}  // namespace certfleet::notify
