// IssuanceJob: one claimed domain, from claim to recorded outcome (the certmagic
// "lock → re-check → issue → store" sequence, with the lock being the store lease).
//
//   1. Resume the domain's active order, or start one (abandoning an order whose names,
//      key type or profile no longer match the domain). New orders respect the issuer's
//      pacing: beyond the limit the domain is rescheduled, not failed.
//   2. Advance it one step at a time with the order machine, saving after every step
//      and keeping the lease alive, until the certificate is stored (AddCertificate
//      completes the order in the same transaction) or the order fails.
//   3. Record the outcome with UpdateAttempt, releasing the lease: valid with the next
//      renewal time, or failed with the error and the backoff time.
// When the CA has forgotten the account (accountDoesNotExist), the account is registered
// again and the order is restarted once within the job.
//
// Runs on one worker thread; the job never throws for expected failures.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "acme/polling.h"
#include "common/clock.h"
#include "common/error.h"
#include "crypto/envelope.h"
#include "issuance/dns01_runtime.h"
#include "issuance/issuer_runtime.h"
#include "issuance/retry_policy.h"
#include "store/store.h"

namespace certfleet::issuance {

struct JobEnvironment {
  store::Store& store;
  const crypto::Envelope& envelope;
  Clock& clock;
  acme::PollPolicy poll;
  RetryPolicy retry;
  Duration lease_for{std::chrono::minutes(10)};
  store::Actor actor{"system:issuance"};
  // When set and true, a running job stops between steps (the order is saved) and
  // releases its lease, so the order resumes at once on the next claim.
  const std::atomic<bool>* stopping = nullptr;
  // The hub's DNS-01 solvers ([dns01]); null = HTTP-01 only. An issuer uses them when its
  // `challenges` allow dns-01.
  const Dns01Runtime* dns01 = nullptr;
  // Randomness for the renewal point in an ARI window and the retry jitter. Unset: a
  // per-thread generator seeded from std::random_device. The simulation sets a seeded
  // one so that every run is the same.
  std::function<std::uint64_t()> seed;
};

// How a job ended, for the worker: when the domain is due next and, if it failed, why.
struct JobReport {
  std::optional<Error> error;                // set when the attempt failed
  std::optional<TimePoint> next_attempt_at;  // as recorded (nullopt if recording failed)
  // An ARI poll that could not reach the CA: not a failure of the domain (it stays valid
  // and asks again later), but news about the CA (ca_reachability.h).
  std::optional<Error> ca_error;
};

// Runs the job for `domain`, claimed under `lease`. `issuer` is nullptr when the domain's
// issuer is not configured (the domain is then marked failed saying so).
JobReport RunIssuanceJob(const JobEnvironment& env, IssuerRuntime* issuer,
                         const store::Domain& domain, const store::Lease& lease);

// Marks the claimed domain failed with `error`, schedules the retry by the backoff policy
// (bounded by the current certificate's remaining life) and releases the lease. Also the
// worker's answer to an exception escaping a job.
JobReport RecordFailure(const JobEnvironment& env, const store::Domain& domain,
                        const store::Lease& lease, const Error& error);

// Marks the claimed domain valid after its certificate was stored: failures cleared,
// renewal at `renew_at`, next claim at `next_attempt_at` (default `renew_at`; earlier for
// the certificate's first ARI poll, ari_schedule.h), lease released. What a job that
// issued records.
JobReport RecordIssued(const JobEnvironment& env, const store::Domain& domain,
                       const store::Lease& lease, TimePoint renew_at,
                       std::optional<TimePoint> next_attempt_at = std::nullopt);

// A valid domain's renewal point moved (or stayed) after renewal information: valid,
// renewal at `renew_at`, next claim at `next_attempt_at`, lease released.
JobReport RecordRescheduled(const JobEnvironment& env, const store::Domain& domain,
                            const store::Lease& lease, TimePoint renew_at,
                            TimePoint next_attempt_at);

// The issuer's order pacing had no slot: status and failures unchanged, next claim at
// `until`, lease released. `due_since`: the CA's renewal information said "renew now" at
// that time (ARI, e.g. after a mass revocation); the renewal point moves there if it lay
// later, so the domain counts as due (notify's overdue check, issuance/capacity.h).
JobReport RecordDeferred(const JobEnvironment& env, const store::Domain& domain,
                         const store::Lease& lease, TimePoint until,
                         std::optional<TimePoint> due_since = std::nullopt);

// When the claim is the domain's scheduled ARI poll (IsAriPoll on its current
// certificate) and the CA cannot be asked (`why`: it is known down, or did not answer):
// asks again in kMinAriPoll, keeps the domain valid with its renewal point, and returns
// the report (ca_error = `why`). nullopt when the claim is not an ARI poll.
std::optional<JobReport> PostponeAriPoll(const JobEnvironment& env, const store::Domain& domain,
                                         const store::Lease& lease, const Error& why);

}  // namespace certfleet::issuance
