#include "issuance/job_outcome.h"

#include <spdlog/spdlog.h>

#include <random>

#include "issuance/ari_schedule.h"
#include "issuance/renewal_policy.h"
#include "issuance/retry_policy.h"

namespace certfleet::issuance {
namespace {

// A rateLimited answer without a usable Retry-After still means "not soon".
constexpr Duration kRateLimitedMinimumWait = std::chrono::hours(1);

// The next attempt time as recorded, or nullopt when the store refused the update.
std::optional<TimePoint> Record(const JobEnvironment& env, const store::Domain& domain,
                                const store::Lease& lease, const store::AttemptUpdate& update) {
  auto updated = env.store.UpdateAttempt(env.actor, lease, update);
  if (!updated) {
    spdlog::error("{}: recording the attempt's outcome: {}", domain.name, updated.error().message);
    return std::nullopt;
  }
  return update.next_attempt_at;
}

}  // namespace

std::uint64_t Seed(const JobEnvironment& env) {
  if (env.seed) return env.seed();
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng();
}

JobReport RecordOutcome(const JobEnvironment& env, const store::Domain& domain,
                        const store::Lease& lease, const Outcome& outcome) {
  store::AttemptUpdate update{domain.status,           domain.last_error, domain.failure_count,
                              outcome.next_attempt_at, domain.renew_at,   true};
  if (outcome.kind == Outcome::Kind::kStopped) update.status = outcome.status;
  if (outcome.kind == Outcome::Kind::kWaiting) {
    update.status = outcome.status;
    update.last_error = outcome.message;
  }
  // A "renew now" the pacing deferred is due from now on, whatever the renewal point said:
  // the expiry scan's overdue check and the capacity check (capacity.h) see it waiting.
  if (outcome.kind == Outcome::Kind::kDeferred && outcome.renew_at != TimePoint{} &&
      (!domain.renew_at || outcome.renew_at < *domain.renew_at)) {
    update.renew_at = outcome.renew_at;
  }
  if (outcome.kind == Outcome::Kind::kIssued || outcome.kind == Outcome::Kind::kRescheduled) {
    update = {store::DomainStatus::kValid, "", 0, outcome.next_attempt_at, outcome.renew_at, true};
  }
  return JobReport{std::nullopt, Record(env, domain, lease, update), outcome.ca_error};
}

JobReport RecordFailure(const JobEnvironment& env, const store::Domain& domain,
                        const store::Lease& lease, const Error& error) {
  const int failures = domain.failure_count + 1;
  Failure failure{.now = env.clock.Now(),
                  .failure_count = failures,
                  .retry_after = error.retry_after,
                  .not_after = domain.current_not_after,
                  .seed = Seed(env)};
  if (error.code == ErrorCode::kRateLimited && !error.retry_after)
    failure.minimum_delay = kRateLimitedMinimumWait;
  const TimePoint next = NextAttemptAfterFailure(env.retry, failure);
  spdlog::warn("{}: attempt {} failed: {}", domain.name, failures, error.message);
  return JobReport{error, Record(env, domain, lease,
                                 store::AttemptUpdate{store::DomainStatus::kFailed, error.message,
                                                      failures, next, domain.renew_at, true})};
}

JobReport RecordIssued(const JobEnvironment& env, const store::Domain& domain,
                       const store::Lease& lease, TimePoint renew_at,
                       std::optional<TimePoint> next_attempt_at) {
  return RecordOutcome(
      env, domain, lease,
      Outcome{Outcome::Kind::kIssued, next_attempt_at.value_or(renew_at), renew_at});
}

JobReport RecordRescheduled(const JobEnvironment& env, const store::Domain& domain,
                            const store::Lease& lease, TimePoint renew_at,
                            TimePoint next_attempt_at) {
  return RecordOutcome(env, domain, lease,
                       Outcome{Outcome::Kind::kRescheduled, next_attempt_at, renew_at});
}

JobReport RecordDeferred(const JobEnvironment& env, const store::Domain& domain,
                         const store::Lease& lease, TimePoint until,
                         std::optional<TimePoint> due_since) {
  return RecordOutcome(env, domain, lease,
                       Outcome{Outcome::Kind::kDeferred, until, due_since.value_or(TimePoint{})});
}

std::optional<JobReport> PostponeAriPoll(const JobEnvironment& env, const store::Domain& domain,
                                         const store::Lease& lease, const Error& why) {
  const TimePoint now = env.clock.Now();
  if (domain.status != store::DomainStatus::kValid || !domain.current_certificate_id)
    return std::nullopt;
  auto cert = env.store.GetCertificate(*domain.current_certificate_id);
  if (!cert || !IsAriPoll(domain.renew_at, domain.next_attempt_at, cert->ari_retry_after, now))
    return std::nullopt;
  const TimePoint ask_again = AriAskAgainAt(now, kMinAriPoll);
  if (auto kept = env.store.UpdateCertificateAri(cert->id, cert->ari_window_start,
                                                 cert->ari_window_end, ask_again);
      !kept) {
    spdlog::error("{}: recording the next ARI poll: {}", domain.name, kept.error().message);
  }
  Outcome outcome{Outcome::Kind::kRescheduled, NextClaimWhileValid(*domain.renew_at, ask_again),
                  *domain.renew_at};
  outcome.ca_error = why;
  return RecordOutcome(env, domain, lease, outcome);
}

}  // namespace certfleet::issuance
