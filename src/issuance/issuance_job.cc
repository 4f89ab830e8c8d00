#include "issuance/issuance_job.h"

#include <spdlog/spdlog.h>

#include <optional>

#include "common/log_fields.h"
#include "crypto/key.h"
#include "issuance/ari_refresh.h"
#include "issuance/ari_schedule.h"
#include "issuance/delegation_gate.h"
#include "issuance/job_outcome.h"
#include "issuance/order_machine.h"
#include "issuance/order_progress.h"
#include "issuance/renewal_policy.h"
#include "issuance/store_challenge_solver.h"
#include "issuance/txt_leftovers.h"

namespace certfleet::issuance {
namespace {

using store::OrderState;

// A domain waiting for its customer's CNAME is checked again this often (the API's check
// wakes it at once when the CNAME is there).
constexpr Duration kDelegationRecheck = std::chrono::minutes(2);

// The solvers of one order step in the issuer's order of preference: HTTP-01 through the
// store (the hub's /.well-known/acme-challenge/ route) and DNS-01 by zone ([dns01]).
// AuthorizeOrder takes, per name, the first that covers it and whose type the CA offers.
std::vector<acme::ChallengeSolver*> OrderedSolvers(const IssuerConfig& issuer,
                                                   StoreChallengeSolver& http01,
                                                   acme::ChallengeSolver* dns01) {
  std::vector<acme::ChallengeSolver*> solvers;
  if (!issuer.dns01) dns01 = nullptr;
  if (dns01 != nullptr && issuer.prefer_dns01) solvers.push_back(dns01);
  if (issuer.http01) solvers.push_back(&http01);
  if (dns01 != nullptr && !issuer.prefer_dns01) solvers.push_back(dns01);
  return solvers;
}

class IssuanceJob {
 public:
  IssuanceJob(const JobEnvironment& env, IssuerRuntime& issuer, const store::Domain& domain,
              const store::Lease& lease)
      : env_(env), issuer_(issuer), domain_(domain), lease_(lease) {}

  Result<Outcome> Execute();
  const store::Lease& lease() const { return lease_; }

 private:
  Result<IssuanceSpec> DesiredSpec() const;
  Status LoadCurrentCertificate();
  Result<std::optional<store::Order>> ResumableOrder(const IssuanceSpec& desired);
  Result<std::optional<Outcome>> RecheckAri(acme::Session& session);
  Result<std::optional<Outcome>> WaitForDelegation(const IssuanceSpec& spec);
  Result<std::string> DelegationLabel() const;
  Outcome PostponedPoll(const Error& why);
  Result<std::optional<store::Order>> StartOrder(acme::Session& session, const IssuanceSpec& spec);
  Status MarkRunning();
  Result<Outcome> Drive(acme::Session& session, store::Order order, const IssuanceSpec& spec);
  Result<store::Order> Replace(acme::Session& session, const store::Order& order,
                               const IssuanceSpec& spec, const std::string& why);
  Result<Outcome> Stored(acme::Session& session, const store::CertificateVersion& cert);
  Outcome Issued(acme::Session* session, const store::CertificateVersion& added);
  Result<bool> IssuedButNotRecorded();
  Status KeepLease();

  const JobEnvironment& env_;
  IssuerRuntime& issuer_;
  const store::Domain& domain_;
  store::Lease lease_;
  std::optional<store::CertificateVersion> current_;
  std::optional<TimePoint> paced_until_;  // set when pacing refused a new order
  TimePoint ari_due_{};                   // set when renewal information said "renew now"
};

Result<IssuanceSpec> IssuanceJob::DesiredSpec() const {
  auto key_type = ParseDomainKeyType(domain_.key_type);
  if (!key_type) return Fail(key_type.error().WithContext(domain_.name));
  IssuanceSpec spec{{domain_.name}, std::string(crypto::KeyTypeName(*key_type)), domain_.profile};
  spec.names.insert(spec.names.end(), domain_.sans.begin(), domain_.sans.end());
  return spec;
}

Status IssuanceJob::LoadCurrentCertificate() {
  if (!domain_.current_certificate_id) return Ok();
  auto cert = env_.store.GetCertificate(*domain_.current_certificate_id);
  if (!cert)
    return Fail(cert.error().WithContext(domain_.name + ": reading the current certificate"));
  current_ = std::move(*cert);
  return Ok();
}

// The active order if it still asks for what the domain wants; a stale one is abandoned.
Result<std::optional<store::Order>> IssuanceJob::ResumableOrder(const IssuanceSpec& desired) {
  auto order = env_.store.GetActiveOrder(domain_.id);
  if (!order && order.error().code == ErrorCode::kNotFound) return std::optional<store::Order>();
  if (!order) return Fail(order.error().WithContext(domain_.name + ": reading the active order"));
  auto progress = ProgressFromJson(order->acme_state_json);
  if (progress && !NeedsNewOrder(progress->spec, desired))
    return std::optional<store::Order>(*order);
  order->state = OrderState::kAbandoned;
  order->error =
      domain_.name + ": the domain's names, key type or profile changed; a new order starts";
  auto saved = env_.store.SaveOrder(env_.actor, lease_, *order);
  if (!saved) return Fail(saved.error().WithContext(domain_.name + ": abandoning a stale order"));
  return std::optional<store::Order>();
}

// Asks the CA again (RFC 9773) at the renewal point and at the certificate's scheduled
// ARI polls (ari_schedule.h): a window that has begun means order now; otherwise the
// renewal point stays or moves and the domain is claimed again at the next poll. At the
// renewal point an unanswered request orders anyway; at a poll it asks again later.
// Past the renewal point without a free pacing slot it asks nothing and waits for one
// (PlanValidClaim says why).
Result<std::optional<Outcome>> IssuanceJob::RecheckAri(acme::Session& session) {
  const TimePoint now = env_.clock.Now();
  if (!current_ || domain_.status != store::DomainStatus::kValid) return std::optional<Outcome>();
  const std::optional<TimePoint> paced = issuer_.pacer().NextSlot(now);
  const ValidClaim plan = PlanValidClaim(domain_.renew_at, domain_.next_attempt_at,
                                         current_->ari_retry_after, now, paced);
  if (plan == ValidClaim::kOrder) return std::optional<Outcome>();  // the issue button
  if (plan == ValidClaim::kDefer)
    return std::optional<Outcome>(Outcome{Outcome::Kind::kDeferred, *paced, {}});
  const bool poll = plan == ValidClaim::kPoll;
  auto info = RefreshRenewalInfo(session, env_.store, *current_);
  if (!info && poll) return std::optional<Outcome>(PostponedPoll(info.error()));
  if (!info) {
    spdlog::warn("{} (ordering anyway)", info.error().message);
    return std::optional<Outcome>();
  }
  if (!*info) {  // the CA dropped ARI: wait for the renewal point
    if (!poll) return std::optional<Outcome>();
    return std::optional<Outcome>(
        Outcome{Outcome::Kind::kRescheduled, *domain_.renew_at, *domain_.renew_at});
  }
  const AriDecision decision = AfterRenewalInfo(
      {current_->not_before, current_->not_after, (*info)->window_start, (*info)->window_end},
      domain_.renew_at, AriAskAgainAt(now, (*info)->retry_after), now, Seed(env_));
  if (decision.renew_now) {
    if (poll) spdlog::info("{}: the CA asks for renewal now (ARI)", domain_.name);
    ari_due_ = now;
    return std::optional<Outcome>();
  }
  return std::optional<Outcome>(
      Outcome{Outcome::Kind::kRescheduled, decision.next_attempt_at, decision.renew_at});
}

// An ARI poll the CA did not answer: ask again in kMinAriPoll, the renewal point stays.
Outcome IssuanceJob::PostponedPoll(const Error& why) {
  const TimePoint ask_again = AriAskAgainAt(env_.clock.Now(), kMinAriPoll);
  if (auto kept = env_.store.UpdateCertificateAri(current_->id, current_->ari_window_start,
                                                  current_->ari_window_end, ask_again);
      !kept) {
    spdlog::error("{}: recording the next ARI poll: {}", domain_.name, kept.error().message);
  }
  spdlog::warn("{}: renewal information: {} (asking again in {} min)", domain_.name, why.message,
               std::chrono::duration_cast<std::chrono::minutes>(kMinAriPoll).count());
  Outcome outcome{Outcome::Kind::kRescheduled, NextClaimWhileValid(*domain_.renew_at, ask_again),
                  *domain_.renew_at};
  outcome.ca_error = why;
  return outcome;
}

// Before a new order, the names answered by delegation must have their CNAME: otherwise
// the domain waits (no order, no CA attempt) with the check's message.
Result<std::optional<Outcome>> IssuanceJob::WaitForDelegation(const IssuanceSpec& spec) {
  if (env_.dns01 == nullptr || !env_.dns01->has_delegation()) return std::optional<Outcome>();
  auto issuer = EffectiveIssuer(env_.store, issuer_.config(), domain_.name);
  if (!issuer) return Fail(issuer.error());
  auto names = DelegatedNames(*issuer, *env_.dns01, spec.names);
  if (!names) return Fail(names.error().WithContext(domain_.name));
  if (names->empty()) return std::optional<Outcome>();
  auto check = CheckAndRecord(env_.store, *env_.dns01, domain_.name, *names, env_.clock);
  if (!check) return Fail(check.error());
  // A passing check asked nothing at the domain's label (solver/dns01/delegation_check.h):
  // the order follows at once, and the CA finds the digests, not a cached probe.
  if (check->ok()) return std::optional<Outcome>();
  const std::string message = check->Problems();
  spdlog::info("{}: waiting for its DNS-01 delegation: {}", domain_.name, message);
  const auto status = current_ ? store::DomainStatus::kValid : store::DomainStatus::kPending;
  return std::optional<Outcome>(
      Outcome{Outcome::Kind::kWaiting, env_.clock.Now() + kDelegationRecheck, {}, status, message});
}

Result<std::string> IssuanceJob::DelegationLabel() const {
  if (env_.dns01 == nullptr || !env_.dns01->has_delegation()) return std::string();
  return DelegationLabelOf(env_.store, domain_.name);
}

Result<std::optional<store::Order>> IssuanceJob::StartOrder(acme::Session& session,
                                                            const IssuanceSpec& spec) {
  const TimePoint now = env_.clock.Now();
  paced_until_ = issuer_.pacer().TryAcquire(now);
  if (paced_until_) return std::optional<store::Order>();
  OrderProgress progress{.spec = spec};
  if (current_) {
    progress.replaces_id = current_->id;
    // "replaces" names a certificate of this CA; an uploaded or imported one (issue 19:
    // `certfleet import --issuer`) may come from anywhere, and a CA refuses the order then.
    if (!session.directory().renewal_info.empty() &&
        current_->source == store::CertificateSource::kAcme) {
      if (auto id = AriCertificateIdOf(*current_)) progress.replaces_ari = *id;
    }
  }
  store::Order order;
  order.domain_id = domain_.id;
  order.issuer = issuer_.config().name;
  order.acme_state_json = ProgressToJson(progress);
  order.attempt = domain_.failure_count + 1;
  auto created = env_.store.CreateOrder(env_.actor, lease_, order);
  if (!created) {
    issuer_.pacer().Release(now);
    return Fail(created.error().WithContext(domain_.name + ": recording the new order"));
  }
  return std::optional<store::Order>(std::move(*created));
}

Status IssuanceJob::MarkRunning() {
  const auto running = current_ ? store::DomainStatus::kRenewing : store::DomainStatus::kIssuing;
  if (domain_.status == running) return Ok();
  store::AttemptUpdate update{
      running, domain_.last_error, domain_.failure_count, domain_.next_attempt_at, domain_.renew_at,
      false};
  auto updated = env_.store.UpdateAttempt(env_.actor, lease_, update);
  if (!updated)
    return Fail(updated.error().WithContext(domain_.name + ": recording the new status"));
  return Ok();
}

Status IssuanceJob::KeepLease() {
  const TimePoint now = env_.clock.Now();
  if (lease_.until - now > env_.lease_for / 2) return Ok();
  auto extended = env_.store.ExtendLease(lease_, now + env_.lease_for);
  if (!extended) return Fail(extended.error().WithContext(domain_.name + ": extending the lease"));
  lease_ = *extended;
  return Ok();
}

// Abandons `order` (its account is gone, or the machine said so) and starts a fresh one.
Result<store::Order> IssuanceJob::Replace(acme::Session& session, const store::Order& order,
                                          const IssuanceSpec& spec, const std::string& why) {
  if (!IsTerminal(order.state)) {
    store::Order abandoned = order;
    abandoned.state = OrderState::kAbandoned;
    abandoned.error = why;
    auto saved = env_.store.SaveOrder(env_.actor, lease_, abandoned);
    if (!saved) return Fail(saved.error().WithContext(domain_.name + ": abandoning the order"));
  }
  spdlog::info("{}: starting a new order: {}", domain_.name, why);
  auto fresh = StartOrder(session, spec);
  if (!fresh) return Fail(fresh.error());
  if (!*fresh)
    return Fail(ErrorCode::kRateLimited,
                domain_.name + ": the issuer's order pacing limit was reached");
  return std::move(**fresh);
}

Result<Outcome> IssuanceJob::Stored(acme::Session& session, const store::CertificateVersion& cert) {
  auto added = env_.store.AddCertificate(env_.actor, cert);
  if (!added) return Fail(added.error().WithContext(domain_.name + ": storing the certificate"));
  spdlog::info("{}: stored certificate {} (serial {}, valid until {})", domain_.name, added->id,
               added->serial, std::chrono::system_clock::to_time_t(added->not_after));
  return Issued(&session, *added);
}

// The outcome of a stored certificate: its renewal point (with the CA's renewal window when
// it offers one; without a session, from the validity alone) and the next claim.
Outcome IssuanceJob::Issued(acme::Session* session, const store::CertificateVersion& added) {
  CertificateTimes times{added.not_before, added.not_after, std::nullopt, std::nullopt};
  Result<std::optional<acme::RenewalInfo>> info = std::optional<acme::RenewalInfo>();
  if (session != nullptr) info = RefreshRenewalInfo(*session, env_.store, added);
  if (!info) spdlog::warn("{}", info.error().message);
  if (info && *info) {
    times.ari_window_start = (*info)->window_start;
    times.ari_window_end = (*info)->window_end;
  }
  const TimePoint now = env_.clock.Now();
  const TimePoint renew_at = RenewAt(times, now, Seed(env_));
  std::optional<TimePoint> ask_again;
  if (info && *info) ask_again = AriAskAgainAt(now, (*info)->retry_after);
  return Outcome{Outcome::Kind::kIssued, NextClaimWhileValid(renew_at, ask_again), renew_at};
}

// True when the last attempt stored its certificate but its outcome was never recorded:
// AddCertificate commits the certificate and completes its order, and the status, renewal
// point and next claim follow in a second write (UpdateAttempt) — a hub killed or a
// database lost between the two leaves the domain "issuing"/"renewing" and due. The
// domain's newest order is then the completed one that produced its current certificate
// (every new attempt creates its order before it marks the domain running), and the job
// records that certificate instead of ordering a second one.
Result<bool> IssuanceJob::IssuedButNotRecorded() {
  if (!current_ || !current_->order_id) return false;
  if (domain_.status != store::DomainStatus::kIssuing &&
      domain_.status != store::DomainStatus::kRenewing) {
    return false;
  }
  auto newest = env_.store.ListOrders(domain_.id, 1);
  if (!newest) return Fail(newest.error().WithContext(domain_.name + ": reading its last order"));
  return !newest->empty() && newest->front().id == *current_->order_id &&
         newest->front().state == OrderState::kCompleted;
}

Result<Outcome> IssuanceJob::Drive(acme::Session& session, store::Order order,
                                   const IssuanceSpec& spec) {
  auto signer = issuer_.account().Signer(session);
  if (!signer) return Fail(signer.error());
  int fresh_orders_left = 1;  // one restart after the CA forgot the account
  ScopedLogFields fields({{"order", std::to_string(order.id)}});
  auto label = DelegationLabel();
  if (!label) return Fail(label.error());
  auto issuer = EffectiveIssuer(env_.store, issuer_.config(), domain_.name);
  if (!issuer) return Fail(issuer.error());
  const DomainDns01Solvers dns01 = env_.dns01 != nullptr
                                       ? env_.dns01->ForDomain(*label, &env_.store, domain_.id)
                                       : DomainDns01Solvers{};
  while (true) {
    if (env_.stopping != nullptr && env_.stopping->load()) {
      const auto running =
          current_ ? store::DomainStatus::kRenewing : store::DomainStatus::kIssuing;
      return Outcome{Outcome::Kind::kStopped, env_.clock.Now(), {}, running};
    }
    if (auto kept = KeepLease(); !kept) return Fail(kept.error());
    StoreChallengeSolver solver(env_.store, env_.clock, domain_.id, order.id);
    const OrderContext context{
        session,       *signer,   OrderedSolvers(*issuer, solver, dns01.router.get()),
        env_.envelope, env_.poll, issuer_.config().preferred_chain,
        domain_.name};
    auto step = AdvanceOrder(context, order);
    if (!step && IsAccountDoesNotExist(step.error()) && fresh_orders_left-- > 0) {
      issuer_.account().Invalidate(signer->kid);
      signer = issuer_.account().Signer(session);
      if (!signer) return Fail(signer.error());
      auto fresh = Replace(session, order, spec,
                           "the CA no longer knows the ACME account; registered again");
      if (!fresh) return Fail(fresh.error());
      order = std::move(*fresh);
      continue;
    }
    if (!step) return Fail(step.error());
    for (const std::string& warning : step->warnings) spdlog::warn("{}: {}", domain_.name, warning);
    if (step->certificate) return Stored(session, *step->certificate);
    spdlog::debug("{}: order {}: {} → {}", domain_.name, order.id,
                  store::OrderStateName(order.state), store::OrderStateName(step->order.state));
    auto saved = env_.store.SaveOrder(env_.actor, lease_, step->order);
    if (!saved) return Fail(saved.error().WithContext(domain_.name + ": saving the order"));
    order = std::move(*saved);
    if (order.state == OrderState::kFailed) return Fail(ErrorCode::kAcmeProblem, order.error);
    if (order.state == OrderState::kAbandoned) {
      if (fresh_orders_left-- <= 0) return Fail(ErrorCode::kConflict, order.error);
      auto fresh = Replace(session, order, spec, order.error);
      if (!fresh) return Fail(fresh.error());
      order = std::move(*fresh);
    }
  }
}

Result<Outcome> IssuanceJob::Execute() {
  auto spec = DesiredSpec();
  if (!spec) return Fail(spec.error());
  if (auto loaded = LoadCurrentCertificate(); !loaded) return Fail(loaded.error());
  auto recorded = IssuedButNotRecorded();
  if (!recorded) return Fail(recorded.error());
  auto session = issuer_.Session();
  if (*recorded) {
    spdlog::warn("{}: certificate {} was stored but its outcome was not recorded; recording it",
                 domain_.name, current_->id);
    return Issued(session ? *session : nullptr, *current_);
  }
  if (!session && current_ && domain_.status == store::DomainStatus::kValid &&
      IsAriPoll(domain_.renew_at, domain_.next_attempt_at, current_->ari_retry_after,
                env_.clock.Now())) {
    return PostponedPoll(session.error().WithContext(domain_.name));
  }
  if (!session) return Fail(session.error().WithContext(domain_.name));
  auto order = ResumableOrder(*spec);
  if (!order) return Fail(order.error());
  if (!*order) {
    auto later = RecheckAri(**session);
    if (!later) return Fail(later.error());
    if (*later) return **later;
    auto waiting = WaitForDelegation(*spec);
    if (!waiting) return Fail(waiting.error());
    if (*waiting) return **waiting;
    order = StartOrder(**session, *spec);
    if (!order) return Fail(order.error());
    if (!*order) return Outcome{Outcome::Kind::kDeferred, *paced_until_, ari_due_};
  }
  if (auto marked = MarkRunning(); !marked) return Fail(marked.error());
  auto driven = Drive(**session, std::move(**order), *spec);
  // No step runs now, and the lease is ours: what an earlier run left in DNS can go.
  RemoveDomainLeftovers(env_.store, env_.dns01, domain_.id, domain_.name);
  return driven;
}

}  // namespace

JobReport RunIssuanceJob(const JobEnvironment& env, IssuerRuntime* issuer,
                         const store::Domain& domain, const store::Lease& lease) {
  if (issuer == nullptr) {
    return RecordFailure(
        env, domain, lease,
        Error{ErrorCode::kInvalidArgument,
              domain.name + ": issuer \"" + domain.issuer + "\" is not configured on this hub"});
  }
  IssuanceJob job(env, *issuer, domain, lease);
  auto outcome = job.Execute();
  if (!outcome) return RecordFailure(env, domain, job.lease(), outcome.error());
  return RecordOutcome(env, domain, job.lease(), *outcome);
}

}  // namespace certfleet::issuance
