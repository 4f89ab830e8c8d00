// What an issuance job ends with and how the outcome is recorded on the domain (internals
// of issuance/: issuance_job.cc runs the job, job_outcome.cc records; the Record* entry
// points of issuance_job.h are here too).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/error.h"
#include "issuance/issuance_job.h"
#include "store/store.h"

namespace certfleet::issuance {

// What a job ends with, besides failure.
struct Outcome {
  // kStopped: the worker is stopping; the saved order resumes on the next claim.
  // kWaiting: the DNS-01 delegation is not in place; no order was placed (`message` says
  // what to create) and the domain is checked again at next_attempt_at.
  enum class Kind { kIssued, kDeferred, kRescheduled, kStopped, kWaiting } kind = Kind::kIssued;
  TimePoint next_attempt_at{};  // kDeferred, kRescheduled: when to look again
  // kIssued, kRescheduled; kDeferred: the renewal point the CA's window moved to now (an ARI
  // "renew now" the pacing could not order at once), {} to keep the domain's.
  TimePoint renew_at{};
  store::DomainStatus status = store::DomainStatus::kValid;  // kStopped: the status to keep
  std::string message;                                       // kWaiting: why
  std::optional<Error> ca_error;  // kRescheduled: an ARI poll that did not reach the CA
};

// Records `outcome` for the claimed domain (UpdateAttempt, which releases the lease): its
// status, error, renewal point and next claim.
JobReport RecordOutcome(const JobEnvironment& env, const store::Domain& domain,
                        const store::Lease& lease, const Outcome& outcome);

// Randomness for a renewal point or a retry's jitter: env.seed, else a per-thread
// generator seeded from std::random_device.
std::uint64_t Seed(const JobEnvironment& env);

}  // namespace certfleet::issuance
