// FleetSim: the deterministic simulation of issue 20. A fleet of domains on the memory
// store (store/testing) is renewed by the real IssuanceEngine — real claims and leases,
// real renewal points (RenewAt) and ARI schedule (ari_schedule.h), real retry policy
// (capped by the remaining life), real order pacing (OrderPacer), real CA reachability
// tracking with probes and ExpediteRetries — and deployed by simulated agents running the
// agent's real Reconcile, on a FakeClock that jumps from one due time to the next. The
// hub's real expiry scan (notify::ScanExpiring) runs every scan interval.
//
// What is simulated: the ACME conversation and the hosts. The engine's run_job seam is
// replaced by a job (sim_job.h) that makes the real job's decisions (ARI poll, recheck at
// the renewal point, pacing) and asks the SimWorld what the CA would answer; it records
// exactly what the real job records. The CA probe goes through the real
// IssuerRuntime::Probe over a FakeTransport answering unless the world says the CA is down.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "issuance/ca_reachability.h"
#include "issuance/retry_policy.h"
#include "sim/sim_agents.h"
#include "sim/sim_world.h"

namespace certfleet::sim {

struct FleetConfig {
  WorldConfig world;
  Duration lifetime{std::chrono::hours(24 * 90)};  // of every certificate the CA issues
  issuance::RetryPolicy retry;
  issuance::ReachabilityOptions reachability;
  int orders_per_window = 300;  // the issuer's pacing (Let's Encrypt: 300 per 3 h)
  Duration pacing_window{std::chrono::hours(3)};
  // false: the hub before issue 20's fix — it asks for renewal information only when it
  // issues and at the renewal point, never in between (the negative control of the
  // mass-revocation scenario).
  bool ari_polling = true;
  // How often the hub's expiry scan runs (notify::ServiceOptions::scan_interval: 15 min);
  // 0 = no scan.
  Duration warning_scan{std::chrono::minutes(15)};
  // How often the hub's capacity check (issuance::CheckCapacity, which the hub runs with
  // the expiry scan) runs here; 0 = never. Hourly: the demand moves slowly, and the
  // check reads every renewal due within a day.
  Duration capacity_scan{std::chrono::hours(1)};
  // The real worker also wakes at least every poll interval; the simulation's only work
  // is the engine's own, so a long poll changes nothing but the number of steps.
  Duration poll{std::chrono::hours(1)};
};

// One certificate that was the domain's current one past its notAfter.
struct Expiry {
  std::string domain;
  TimePoint not_after{};
  Duration lapsed{0};  // how long the domain had no valid certificate
  std::string last_error;
};

// A certificate whose successor had not been issued when it had issuance::WarningHorizon left.
struct AtRisk {
  std::string domain;
  TimePoint not_after{};
  std::optional<TimePoint> warned_at;  // the first expiry notice for it, if any
  bool warned_in_time = false;         // the notice went out by not_after - horizon
};

struct FleetResult {
  std::int64_t issued = 0;       // certificates, first ones included
  std::int64_t orders = 0;       // newOrder requests the CA saw (any answer but "down")
  std::int64_t failures = 0;     // failed jobs (not those failed fast while the CA is known down)
  std::int64_t ca_requests = 0;  // every request the CA saw: orders, ARI, probes
  std::int64_t peak_requests_per_hour = 0;  // in one clock hour
  std::int64_t peak_orders_per_window = 0;  // newOrders in any pacing window (sliding)
  std::int64_t ari_polls = 0;               // renewalInfo requests between renewals
  std::int64_t ari_rechecks = 0;            // renewalInfo requests at the renewal point
  std::int64_t probes = 0;                  // reachability probes sent
  std::int64_t steps = 0;                   // times the driver advanced the clock
  std::vector<Expiry> expiries;             // the hub held no valid certificate
  std::vector<ServedLapse> served_expired;  // nginx served an expired certificate
  std::vector<ServedLapse> served_revoked;  // nginx served a revoked certificate
  std::vector<AtRisk> at_risk;              // came within the horizon without successor
  std::int64_t warnings = 0;                // expiry notices the scan produced (deduplicated)
  // The first capacity warning (issuance::CheckCapacity) and the first certificate that
  // lapsed: its end without a successor, or the first revoked one served.
  std::optional<TimePoint> capacity_warned_at;
  std::string capacity_message;  // the first warning's words
  std::optional<TimePoint> first_lapse;
  std::int64_t deployments = 0;
  std::int64_t failed_installs = 0;        // nginx -t refused an install
  std::vector<TimePoint> issued_at;        // when each certificate was issued, in order
  Duration least_margin{Duration::max()};  // smallest life left on a renewed certificate
  Duration worst_first_issue{0};           // longest wait for a domain's first certificate
  Duration last_revoked_replaced{0};       // announcement → last revoked cert replaced
  double cpu_seconds = 0;

  double OrdersPerCertificate() const {
    return issued == 0 ? 0 : static_cast<double>(orders) / static_cast<double>(issued);
  }
  Duration ServedExpiredTotal() const;
  std::int64_t NotWarnedInTime() const;
};

// Runs the simulation (single thread). Deterministic: same config, same result.
FleetResult RunFleet(const FleetConfig& config);

// "12d 3h", "45m", "17s": for tables and messages.
std::string FormatSpan(Duration d);

// One line of numbers for a test's output.
std::string Describe(const FleetResult& r);

}  // namespace certfleet::sim
