#include "sim/sim_job.h"

#include <algorithm>

#include "issuance/ari_schedule.h"
#include "issuance/renewal_policy.h"

namespace certfleet::sim {
namespace {

using issuance::JobReport;

Duration Span(TimePoint from, TimePoint to) {
  return std::chrono::duration_cast<Duration>(to - from);
}

}  // namespace

void CaTraffic::Requests(TimePoint t, int n) {
  if (n <= 0) return;
  result_.ca_requests += n;
  const auto hour = std::chrono::duration_cast<std::chrono::hours>(t.time_since_epoch()).count();
  result_.peak_requests_per_hour = std::max(result_.peak_requests_per_hour, per_hour_[hour] += n);
}

void CaTraffic::NewOrder(TimePoint t) {
  ++result_.orders;
  while (!orders_.empty() && orders_.front() <= t - window_) orders_.pop_front();
  orders_.push_back(t);
  result_.peak_orders_per_window =
      std::max(result_.peak_orders_per_window, static_cast<std::int64_t>(orders_.size()));
}

JobReport SimJob::Run(const issuance::JobEnvironment& env, issuance::IssuerRuntime& issuer,
                      const store::Domain& domain, const store::Lease& lease) {
  ari_due_.reset();
  if (domain.current_certificate_id && domain.status == store::DomainStatus::kValid) {
    auto current = env.store.GetCertificate(*domain.current_certificate_id);
    if (!current) return issuance::RecordFailure(env, domain, lease, current.error());
    if (auto done = AriCheck(env, issuer, domain, lease, *current)) return *done;
  }
  return Order(env, issuer, domain, lease);
}

// IssuanceJob::RecheckAri: the scheduled ARI poll, or the recheck at the renewal point
// once a pacing slot is free (issuance::PlanValidClaim, the job's own plan). nullopt: order now.
std::optional<JobReport> SimJob::AriCheck(const issuance::JobEnvironment& env,
                                          issuance::IssuerRuntime& issuer,
                                          const store::Domain& domain, const store::Lease& lease,
                                          const store::CertificateVersion& current) {
  const TimePoint now = env.clock.Now();
  const std::optional<TimePoint> ask_again =
      config_.ari_polling ? current.ari_retry_after : std::nullopt;
  const std::optional<TimePoint> paced = issuer.pacer().NextSlot(now);
  const issuance::ValidClaim plan =
      issuance::PlanValidClaim(domain.renew_at, domain.next_attempt_at, ask_again, now, paced);
  if (plan == issuance::ValidClaim::kOrder) return std::nullopt;  // the issue button
  if (plan == issuance::ValidClaim::kDefer)
    return issuance::RecordDeferred(env, domain, lease, *paced);
  const bool poll = plan == issuance::ValidClaim::kPoll;
  if (world_.config().ari_retry_after <= Duration{0}) return std::nullopt;
  if (poll) ++result_.ari_polls;
  if (world_.CaDown(now) || world_.ServerErrors(now)) {
    if (!poll) return std::nullopt;  // at the renewal point: order anyway
    return issuance::PostponeAriPoll(
        env, domain, lease, Error{ErrorCode::kUnavailable, "renewalInfo: CA not answering"});
  }
  traffic_.Requests(now, 1);
  if (!poll) ++result_.ari_rechecks;
  const Episode window = world_.RenewalWindow(current.not_before, current.not_after, now);
  const TimePoint next_ask = issuance::AriAskAgainAt(now, world_.config().ari_retry_after);
  if (auto s = env.store.UpdateCertificateAri(current.id, window.from, window.to, next_ask); !s)
    return issuance::RecordFailure(env, domain, lease, s.error());
  const issuance::AriDecision decision =
      issuance::AfterRenewalInfo({current.not_before, current.not_after, window.from, window.to},
                                 domain.renew_at, next_ask, now, env.seed());
  if (decision.renew_now) {
    ari_due_ = now;
    return std::nullopt;
  }
  return issuance::RecordRescheduled(
      env, domain, lease, decision.renew_at,
      config_.ari_polling ? decision.next_attempt_at : decision.renew_at);
}

JobReport SimJob::Order(const issuance::JobEnvironment& env, issuance::IssuerRuntime& issuer,
                        const store::Domain& domain, const store::Lease& lease) {
  const TimePoint now = env.clock.Now();
  if (auto paced = issuer.pacer().TryAcquire(now)) {
    return issuance::RecordDeferred(env, domain, lease, *paced, ari_due_);
  }
  const OrderCost cost = world_.Order(index_.at(domain.id), now, ++attempts_);
  traffic_.Requests(now, cost.requests);
  if (cost.answer != CaAnswer::kDown) traffic_.NewOrder(now);
  if (cost.answer != CaAnswer::kIssues) ++result_.failures;
  const auto fail = [&](ErrorCode code, const std::string& what) {
    return issuance::RecordFailure(env, domain, lease, Error{code, domain.name + ": " + what});
  };
  switch (cost.answer) {
    case CaAnswer::kDown:
      return fail(ErrorCode::kUnavailable, "newOrder: connection refused");
    case CaAnswer::kServerError:
      return fail(ErrorCode::kUnavailable, "newOrder: HTTP 500 (serverInternal)");
    case CaAnswer::kRateLimited: {
      Error error{ErrorCode::kRateLimited, domain.name + ": newOrder: rateLimited"};
      if (cost.retry_after) error.retry_after = Span(now, *cost.retry_after);
      return issuance::RecordFailure(env, domain, lease, error);
    }
    case CaAnswer::kBadNonce:
      return fail(ErrorCode::kAcmeProblem, "badNonce twice in a row");
    case CaAnswer::kValidationFails:
      return fail(ErrorCode::kAcmeProblem,
                  "http-01 validation failed: connection refused (host not answering)");
    case CaAnswer::kIssues:
      return Issue(env, domain, lease);
  }
  return {};
}

JobReport SimJob::Issue(const issuance::JobEnvironment& env, const store::Domain& domain,
                        const store::Lease& lease) {
  const TimePoint now = env.clock.Now();
  const int index = index_.at(domain.id);
  if (domain.current_not_after) {
    const TimePoint old = *domain.current_not_after;
    if (old < now)
      result_.expiries.push_back({domain.name, old, Span(old, now), domain.last_error});
    result_.least_margin = std::min(result_.least_margin, Span(now, old));
    if (auto it = certs_.find(domain.current_certificate_id.value_or(-1)); it != certs_.end()) {
      it->second.successor_at = now;
      for (const MassRevocation& r : world_.config().revocations) {
        if (it->second.cert.not_before < r.announced && r.announced <= now)
          result_.last_revoked_replaced =
              std::max(result_.last_revoked_replaced, Span(r.announced, now));
      }
    }
  } else {
    const TimePoint saved = domain.created_at;
    result_.worst_first_issue = std::max(result_.worst_first_issue, Span(saved, now));
  }
  store::CertificateVersion cert;
  cert.domain_id = domain.id;
  cert.chain_pem = "-----BEGIN CERTIFICATE-----\nsimulated\n-----END CERTIFICATE-----\n";
  cert.encrypted_key = "cfv1 simulated";
  cert.serial = std::to_string(result_.issued + 1);
  cert.sha256 = "sim" + cert.serial;
  cert.issuer_cn = "Simulated CA";
  cert.names = {domain.name};
  cert.not_before = now;
  cert.not_after = now + config_.lifetime;
  auto stored = env.store.AddCertificate(env.actor, cert);
  if (!stored) return issuance::RecordFailure(env, domain, lease, stored.error());
  ++result_.issued;
  result_.issued_at.push_back(now);
  CertRecord record{{stored->id, index, now, cert.not_after}, domain.name, {}, {}};
  issuance::CertificateTimes times{now, cert.not_after, {}, {}};
  std::optional<TimePoint> ask_again;
  if (world_.config().ari_retry_after > Duration{0}) {  // Stored(): renewalInfo at once
    traffic_.Requests(now, 1);
    const Episode window = world_.RenewalWindow(now, cert.not_after, now);
    times.ari_window_start = window.from;
    times.ari_window_end = window.to;
    ask_again = issuance::AriAskAgainAt(now, world_.config().ari_retry_after);
    if (auto s = env.store.UpdateCertificateAri(stored->id, window.from, window.to, ask_again); !s)
      return issuance::RecordFailure(env, domain, lease, s.error());
  }
  const TimePoint renew_at = issuance::RenewAt(times, now, env.seed());
  const TimePoint next =
      config_.ari_polling ? issuance::NextClaimWhileValid(renew_at, ask_again) : renew_at;
  certs_[stored->id] = record;
  agents_.Issued(domain.name, record.cert, now);
  return issuance::RecordIssued(env, domain, lease, renew_at, next);
}

}  // namespace certfleet::sim
