#include "issuance/ari_schedule.h"

#include <algorithm>

namespace certfleet::issuance {

TimePoint AriAskAgainAt(TimePoint now, std::optional<Duration> retry_after) {
  return now + std::clamp(retry_after.value_or(kDefaultAriPoll), kMinAriPoll, kMaxAriPoll);
}

TimePoint NextClaimWhileValid(TimePoint renew_at, std::optional<TimePoint> ari_ask_again) {
  return ari_ask_again ? std::min(renew_at, *ari_ask_again) : renew_at;
}

bool IsAriPoll(std::optional<TimePoint> renew_at, std::optional<TimePoint> next_attempt_at,
               std::optional<TimePoint> ari_ask_again, TimePoint now) {
  return renew_at && *renew_at > now && next_attempt_at && ari_ask_again &&
         *next_attempt_at == *ari_ask_again;
}

ValidClaim PlanValidClaim(std::optional<TimePoint> renew_at,
                          std::optional<TimePoint> next_attempt_at,
                          std::optional<TimePoint> ari_ask_again, TimePoint now,
                          std::optional<TimePoint> paced_until) {
  if (IsAriPoll(renew_at, next_attempt_at, ari_ask_again, now)) return ValidClaim::kPoll;
  if (!renew_at || *renew_at > now) return ValidClaim::kOrder;
  return paced_until ? ValidClaim::kDefer : ValidClaim::kRecheck;
}

AriDecision AfterRenewalInfo(const CertificateTimes& cert, std::optional<TimePoint> renew_at,
                             TimePoint ask_again, TimePoint now, std::uint64_t seed) {
  if (cert.ari_window_start && *cert.ari_window_start <= now) return {true, now, now};
  TimePoint point{};
  const auto window = UsableAriWindow(cert);
  if (renew_at && window && window->start <= *renew_at && *renew_at <= window->end) {
    point = *renew_at;
  } else {
    point = RenewAt(cert, now, seed);
  }
  return {point <= now, point, NextClaimWhileValid(point, ask_again)};
}

}  // namespace certfleet::issuance
