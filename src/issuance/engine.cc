#include "issuance/engine.h"

#include <spdlog/spdlog.h>

#include <exception>

#include "common/log_fields.h"
#include "common/scan_registry.h"
#include "common/time_format.h"
#include "issuance/acme_metrics.h"
#include "net/curl/curl_transport.h"

namespace certfleet::issuance {
namespace {

const store::Actor kActor{"system:issuance"};

Result<std::unique_ptr<net::HttpTransport>> CurlTransportFor(const IssuerConfig& issuer) {
  auto transport = net::CurlTransport::Create({.ca_file = issuer.ca_file});
  if (!transport) return Fail(transport.error());
  return std::unique_ptr<net::HttpTransport>(std::move(*transport));
}

// Errors that prove the CA answered (its own refusal), as opposed to local failures.
bool CaAnswered(const Error& error) {
  return error.code == ErrorCode::kAcmeProblem || error.code == ErrorCode::kRateLimited;
}

}  // namespace

IssuanceEngine::IssuanceEngine(store::Store& store, const crypto::Envelope& envelope, Clock& clock,
                               EngineOptions options, const std::atomic<bool>* stopping)
    : options_(std::move(options)),
      env_{store,  envelope, clock,          options_.poll, options_.retry, options_.lease_for,
           kActor, stopping, options_.dns01, options_.seed} {}

Result<std::unique_ptr<IssuanceEngine>> IssuanceEngine::Create(
    store::Store& store, const crypto::Envelope& envelope, Clock& clock,
    const std::vector<IssuerConfig>& issuers, EngineOptions options,
    const std::atomic<bool>* stopping) {
  std::unique_ptr<IssuanceEngine> engine(
      new IssuanceEngine(store, envelope, clock, std::move(options), stopping));
  for (const IssuerConfig& issuer : issuers) {
    if (auto added = engine->AddIssuer(issuer); !added) return Fail(added.error());
  }
  return engine;
}

Status IssuanceEngine::AddIssuer(const IssuerConfig& config) {
  if (auto valid = ValidateIssuerName(config.name); !valid) return Fail(valid.error());
  if (issuers_.count(config.name) != 0) {
    return Fail(ErrorCode::kInvalidArgument, "issuer \"" + config.name + "\" is configured twice");
  }
  auto transport =
      options_.transport_factory ? options_.transport_factory(config) : CurlTransportFor(config);
  if (!transport) return Fail(transport.error().WithContext("issuer " + config.name));
  issuers_.emplace(config.name,
                   std::make_unique<IssuerRuntime>(
                       config, MeasureAcmeRequests(std::move(*transport)), env_.envelope,
                       env_.clock, options_.data_dir, options_.reachability, &env_.store));
  return Ok();
}

IssuerRuntime* IssuanceEngine::Issuer(const std::string& name) {
  auto it = issuers_.find(name);
  return it == issuers_.end() ? nullptr : it->second.get();
}

std::int64_t IssuanceEngine::WakeFailedDomains(IssuerRuntime& runtime) {
  const std::string& name = runtime.config().name;
  const TimePoint now = env_.clock.Now();
  auto woken = env_.store.ExpediteRetries(name, now);
  if (!woken) {
    spdlog::error("issuer {}: waking the domains that failed while the CA was down: {}", name,
                  woken.error().message);
    return 0;
  }
  if (*woken > 0) {
    spdlog::info("issuer {}: the CA answers again; {} failed domain(s) are tried now", name,
                 *woken);
    Remember(now);
  }
  return *woken;
}

std::int64_t IssuanceEngine::ProbeDueIssuers() {
  std::int64_t woken = 0;
  for (auto& [name, runtime] : issuers_) {
    CaReachability& reachability = runtime->reachability();
    if (!reachability.ClaimProbe(env_.clock.Now())) continue;
    auto probed = runtime->Probe();
    const TimePoint now = env_.clock.Now();
    if (!probed) {
      reachability.ProbeFailed(now, probed.error().message);
      spdlog::debug("issuer {}: probe: the CA still does not answer: {}", name,
                    probed.error().message);
      continue;
    }
    if (reachability.MarkUp(now, true)) woken += WakeFailedDomains(*runtime);
  }
  return woken;
}

// A failed job's kUnavailable may be the database's ("saving the order: … server closed the
// connection"), not the CA's: the codes are shared. Before the CA is marked down (which
// fails every job of the issuer until a probe), the CA is asked itself; if it answers, the
// failure was somebody else's and the issuer stays up.
bool IssuanceEngine::CaStillAnswers(IssuerRuntime& runtime, const Error& error) {
  if (!runtime.Probe()) return false;
  spdlog::debug("issuer {}: a job failed as unreachable but the CA answers: {}",
                runtime.config().name, error.message);
  return true;
}

void IssuanceEngine::Observe(IssuerRuntime& runtime, const JobReport& report) {
  CaReachability& reachability = runtime.reachability();
  const TimePoint now = env_.clock.Now();
  const std::optional<Error>& error = report.error ? report.error : report.ca_error;
  if (error && IsCaUnreachable(*error)) {
    if (!reachability.IsDown() && CaStillAnswers(runtime, *error)) return;
    if (!reachability.IsDown()) {
      spdlog::warn(
          "issuer {}: the CA does not answer ({}); probing it every {} s", runtime.config().name,
          error->message,
          std::chrono::duration_cast<std::chrono::seconds>(reachability.CurrentProbeInterval())
              .count());
    }
    reachability.MarkDown(now, error->message);
    return;
  }
  if (!error || CaAnswered(*error)) {
    if (reachability.MarkUp(now, false)) WakeFailedDomains(runtime);
  }
}

// A domain came due while its issuer's CA is marked down: its retry time may be sooner than
// the next probe (ca_reachability.h). True when the CA answers a probe now; the job then runs
// for real, and its outcome decides whether the outage is over.
bool IssuanceEngine::DueProbeAnswers(IssuerRuntime& runtime, const store::Domain& domain) {
  CaReachability& reachability = runtime.reachability();
  if (!reachability.ClaimDueProbe(env_.clock.Now())) return false;
  auto probed = runtime.Probe();
  if (!probed) {
    reachability.ProbeFailed(env_.clock.Now(), probed.error().message);
    return false;
  }
  spdlog::info("issuer {}: the CA answers a probe again; trying {} at once", runtime.config().name,
               domain.name);
  return true;
}

// While the issuer's CA is known to be down, a claimed domain fails at once (recorded with
// the usual retry schedule) instead of waiting for a connection that will not come, unless
// a probe of its own finds the CA answering again (DueProbeAnswers). A valid domain's
// scheduled ARI poll is not a renewal: it asks again later and probes nothing (the issuer's
// periodic probe watches the outage; a fleet's polls must not each knock on a CA that is down).
JobReport IssuanceEngine::RunOrFailFast(IssuerRuntime* runtime, const store::Domain& domain,
                                        const store::Lease& lease) {
  if (runtime != nullptr && runtime->reachability().IsDown()) {
    const CaReachability& reachability = runtime->reachability();
    auto outage = [&] {
      const auto since = reachability.DownSince();
      return Error{ErrorCode::kUnavailable,
                   domain.name + ": issuer " + domain.issuer + ": the CA has not answered since " +
                       (since ? FormatRfc3339(*since) : std::string("recently")) +
                       " (last error: " + reachability.LastError() +
                       "); the domain is tried again as soon as it answers"};
    };
    if (auto postponed = PostponeAriPoll(env_, domain, lease, outage())) return *postponed;
    if (!DueProbeAnswers(*runtime, domain)) return RecordFailure(env_, domain, lease, outage());
  }
  JobReport report = options_.run_job ? options_.run_job(env_, runtime, domain, lease)
                                      : RunIssuanceJob(env_, runtime, domain, lease);
  if (runtime != nullptr) Observe(*runtime, report);
  return report;
}

// One of the three exception boundaries: whatever a job throws becomes a recorded failure.
JobReport IssuanceEngine::RunGuarded(const store::Domain& domain, const store::Lease& lease) {
  IssuerRuntime* runtime = Issuer(domain.issuer);
  ScopedLogFields fields({{"domain", domain.name}, {"issuer", domain.issuer}});
  try {
    return RunOrFailFast(runtime, domain, lease);
  } catch (const std::exception& e) {
    spdlog::error("{}: the issuance job threw: {}", domain.name, e.what());
    return RecordFailure(
        env_, domain, lease,
        Error{ErrorCode::kInternal, domain.name + ": internal error: " + e.what()});
  } catch (...) {
    spdlog::error("{}: the issuance job threw a non-exception", domain.name);
    return RecordFailure(env_, domain, lease,
                         Error{ErrorCode::kInternal, domain.name + ": internal error"});
  }
}

bool IssuanceEngine::RunOne(const std::string& owner) {
  if (options_.may_claim && !options_.may_claim()) return false;
  store::ClaimRequest request{owner, env_.clock.Now(), options_.lease_for, 1};
  auto claimed = env_.store.ClaimDueDomains(request);
  if (!claimed) {
    spdlog::error("issuance worker {}: claiming due domains: {}", owner, claimed.error().message);
    return false;
  }
  RecordScanSuccess("issuance_claim", request.now);
  if (claimed->empty()) {
    std::lock_guard lock(mu_);
    idle_at_ = std::max(idle_at_, request.now);
    return false;
  }
  const store::Domain& domain = claimed->front();
  const JobReport report = RunGuarded(
      domain,
      store::Lease{domain.id, owner, domain.lease_until.value_or(request.now + request.lease_for)});
  if (report.next_attempt_at) Remember(*report.next_attempt_at);
  return true;
}

int IssuanceEngine::RunAllDue(const std::string& owner) {
  ProbeDueIssuers();
  int jobs = 0;
  while (RunOne(owner)) ++jobs;
  return jobs;
}

void IssuanceEngine::Remember(TimePoint due) {
  std::lock_guard lock(mu_);
  due_.push(due);
}

std::optional<TimePoint> IssuanceEngine::NextWake() {
  std::optional<TimePoint> next;
  {
    std::lock_guard lock(mu_);
    // A claim at idle_at_ found nothing due: what was due by then has been done.
    while (!due_.empty() && due_.top() <= idle_at_) due_.pop();
    if (!due_.empty()) next = due_.top();
  }
  for (auto& [name, runtime] : issuers_) {
    if (auto probe = runtime->reachability().NextProbeAt(); probe && (!next || *probe < *next))
      next = probe;
  }
  return next;
}

}  // namespace certfleet::issuance
