// FleetSim: the deterministic simulation of issue 20. A fleet of domains on the memory
// store (store/testing) is renewed by the real IssuanceEngine — real claims and leases,
// real renewal points (RenewAt), real retry policy (capped by the remaining life), real CA
// reachability tracking with probes and ExpediteRetries — on a FakeClock that jumps from
// one due time to the next, for months of simulated time, in seconds of CPU.
//
// What is simulated: only the ACME conversation. The engine's run_job seam is replaced by
// a job that asks the SimWorld what the CA would answer now (issue, down, rateLimited with
// Retry-After, validation failed because the agent does not answer) and records exactly
// what the real job records (RecordFailure, or a certificate plus RecordIssued). The CA
// probe goes through the real IssuerRuntime::Probe over a FakeTransport that answers the
// directory and newNonce unless the world says the CA is down.
//
// The result lists every certificate that expired before its successor was issued (and
// every first certificate that came late), so a test can assert "none".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.h"
#include "issuance/ca_reachability.h"
#include "issuance/retry_policy.h"
#include "sim/sim_world.h"

namespace certfleet::sim {

struct FleetConfig {
  WorldConfig world;
  Duration lifetime{std::chrono::hours(24 * 90)};  // of every certificate the CA issues
  issuance::RetryPolicy retry;
  issuance::ReachabilityOptions reachability;
  // The real worker also wakes at least every poll interval; the simulation's only work
  // is the engine's own, so a long poll changes nothing but the number of steps.
  Duration poll{std::chrono::hours(1)};
};

// One certificate that was still current after its notAfter.
struct Expiry {
  std::string domain;
  TimePoint not_after{};
  Duration lapsed{0};  // how long the domain had no valid certificate
  std::string last_error;
};

struct FleetResult {
  std::int64_t issued = 0;       // certificates, first ones included
  std::int64_t failures = 0;     // failed jobs (not those failed fast while the CA is known down)
  std::int64_t ca_contacts = 0;  // orders the simulated CA saw (any answer but "down")
  std::int64_t probes = 0;       // reachability probes sent
  std::int64_t steps = 0;        // times the driver advanced the clock
  std::vector<Expiry> expiries;  // empty: no certificate ever expired
  std::vector<TimePoint> issued_at;        // when each certificate was issued, in order
  Duration least_margin{Duration::max()};  // smallest life left on a renewed certificate
  Duration worst_first_issue{0};           // longest wait for a domain's first certificate
  double cpu_seconds = 0;
};

// Runs the simulation (single thread). Deterministic: same config, same result.
FleetResult RunFleet(const FleetConfig& config);

// "12d 3h", "45m", "17s": for tables and messages.
std::string FormatSpan(Duration d);

}  // namespace certfleet::sim
