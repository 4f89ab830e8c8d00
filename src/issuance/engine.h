// IssuanceEngine: the issuance worker's work without its threads — claim a due domain,
// run its job, keep track of each CA's reachability, and know when something is due next.
//
// The threaded Worker (worker.h) runs one engine from several threads; the deterministic
// simulation (tests/sim) and single-threaded tests call RunAllDue() on their own clock,
// so a two-year run jumps from one due time to the next without threads or sleeps.
//
// Per issuer, the engine keeps the CA's reachability (ca_reachability.h): a job failing
// because the CA did not answer marks it down; while it is down, claimed domains of that
// issuer fail at once without contacting it, and ProbeDueIssuers() probes it every probe
// interval. The first answer (probe or job) wakes the issuer's failed domains
// (IssuanceLedger::ExpediteRetries), so they are renewed within a probe interval of the
// CA's return.
//
// Thread safety: RunOne, ProbeDueIssuers and NextWake may be called concurrently (one owner
// id per thread); RunAllDue is for single-threaded drivers.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "acme/polling.h"
#include "common/clock.h"
#include "common/error.h"
#include "crypto/envelope.h"
#include "issuance/ca_reachability.h"
#include "issuance/issuance_job.h"
#include "issuance/issuer_config.h"
#include "issuance/issuer_runtime.h"
#include "issuance/retry_policy.h"
#include "net/http_transport.h"
#include "store/store.h"

namespace certfleet::issuance {

struct EngineOptions {
  std::filesystem::path data_dir;  // holds ACME account keys (sealed), one per issuer
  Duration lease_for{std::chrono::minutes(10)};
  acme::PollPolicy poll;             // how to wait for the CA (validation, issuance)
  RetryPolicy retry;                 // backoff after failed attempts
  ReachabilityOptions reachability;  // probing a CA that does not answer
  // Makes the HTTP transport for one issuer. Unset: libcurl trusting issuer.ca_file.
  std::function<Result<std::unique_ptr<net::HttpTransport>>(const IssuerConfig&)> transport_factory;
  // The hub's DNS-01 solvers ([dns01]); null = HTTP-01 only. Must outlive the engine.
  const Dns01Runtime* dns01 = nullptr;
  // Randomness for jitter and ARI window points (JobEnvironment::seed); unset: random.
  std::function<std::uint64_t()> seed;
  // Test seam (the deterministic simulation, tests/sim): runs a claimed domain's job in
  // place of RunIssuanceJob, recording its outcome under the lease as that does
  // (RecordFailure, RecordIssued). Unset in the hub.
  std::function<JobReport(const JobEnvironment&, IssuerRuntime*, const store::Domain&,
                          const store::Lease&)>
      run_job;
  // Asked before each claim; false = claim nothing now (the hub's worker on PostgreSQL:
  // "this worker holds its liveness lock", so no lease is taken that others would think
  // dead). Unset: always claim.
  std::function<bool()> may_claim;
};

class IssuanceEngine {
 public:
  // `store`, `envelope` and `clock` must outlive the engine; `stopping` (may be null) is
  // read by running jobs between steps. Fails for an unusable issuer configuration.
  static Result<std::unique_ptr<IssuanceEngine>> Create(store::Store& store,
                                                        const crypto::Envelope& envelope,
                                                        Clock& clock,
                                                        const std::vector<IssuerConfig>& issuers,
                                                        EngineOptions options,
                                                        const std::atomic<bool>* stopping);

  // Probes every issuer whose CA is down and whose probe is due; an answer wakes the
  // issuer's failed domains. Returns how many domains were woken.
  std::int64_t ProbeDueIssuers();

  // Claims one due domain as `owner` and runs its job to the end. False when nothing
  // was due (or the claim failed, which is logged).
  bool RunOne(const std::string& owner);

  // Single-threaded driving: probes, then runs due domains until none is left. Returns
  // how many jobs ran.
  int RunAllDue(const std::string& owner);

  // The earliest time this engine knows of when something becomes due: a retry or a
  // renewal one of its jobs recorded, or a probe. Times up to the last claim that found
  // nothing due are dropped (their work is done). nullopt: nothing known (work saved by
  // others is found by polling or Wake()).
  std::optional<TimePoint> NextWake();

  // The issuer's runtime (tests and the simulation look at reachability and pacing);
  // nullptr for an unknown name.
  IssuerRuntime* Issuer(const std::string& name);

 private:
  IssuanceEngine(store::Store& store, const crypto::Envelope& envelope, Clock& clock,
                 EngineOptions options, const std::atomic<bool>* stopping);
  Status AddIssuer(const IssuerConfig& config);
  JobReport RunGuarded(const store::Domain& domain, const store::Lease& lease);
  JobReport RunOrFailFast(IssuerRuntime* runtime, const store::Domain& domain,
                          const store::Lease& lease);
  void Observe(IssuerRuntime& runtime, const JobReport& report);
  bool CaStillAnswers(IssuerRuntime& runtime, const Error& error);
  bool DueProbeAnswers(IssuerRuntime& runtime, const store::Domain& domain);
  std::int64_t WakeFailedDomains(IssuerRuntime& runtime);
  void Remember(TimePoint due);

  const EngineOptions options_;
  const JobEnvironment env_;
  std::map<std::string, std::unique_ptr<IssuerRuntime>, std::less<>> issuers_;
  std::mutex mu_;  // guards due_ and idle_at_
  std::priority_queue<TimePoint, std::vector<TimePoint>, std::greater<>> due_;
  TimePoint idle_at_{};  // the latest claim that found nothing due
};

}  // namespace certfleet::issuance
