// SimJob: the issuance job of the fleet simulation (issue 20) — the real job's decisions
// with the ACME conversation replaced by the SimWorld's answer.
//
// Like IssuanceJob (issuance_job.cc) it: polls renewal information when the claim is the
// certificate's scheduled ARI poll and renews at once when the window has begun
// (ari_schedule.h); rechecks the window at the renewal point once a pacing slot is free
// (the same issuance::PlanValidClaim); takes an order slot from the issuer's real
// OrderPacer (deferring the domain when none is free); and records the
// outcome through the same functions (RecordFailure, RecordIssued, RecordRescheduled,
// RecordDeferred). A certificate it issues is stored and handed to the simulated agents.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>

#include "issuance/issuance_job.h"
#include "issuance/issuer_runtime.h"
#include "sim/fleet_sim.h"
#include "sim/sim_agents.h"
#include "sim/sim_world.h"

namespace certfleet::sim {

// The CA's traffic as the simulation counts it.
class CaTraffic {
 public:
  CaTraffic(FleetResult& result, Duration window) : result_(result), window_(window) {}
  void Requests(TimePoint t, int n);
  void NewOrder(TimePoint t);

 private:
  FleetResult& result_;
  const Duration window_;
  std::map<std::int64_t, std::int64_t> per_hour_;
  std::deque<TimePoint> orders_;  // in the last pacing window
};

// What the simulation tracks of each certificate besides the store.
struct CertRecord {
  SimCertificate cert;
  std::string domain;
  std::optional<TimePoint> successor_at;  // when the next one was issued
  std::optional<TimePoint> warned_at;     // the first expiry notice
};

class SimJob {
 public:
  SimJob(const FleetConfig& config, const SimWorld& world, SimAgents& agents, FleetResult& result,
         CaTraffic& traffic)
      : config_(config), world_(world), agents_(agents), result_(result), traffic_(traffic) {}

  // Registers domain id → world index (before its first claim).
  void AddDomain(store::Id id, int index) { index_[id] = index; }
  issuance::JobReport Run(const issuance::JobEnvironment& env, issuance::IssuerRuntime& issuer,
                          const store::Domain& domain, const store::Lease& lease);

  std::map<std::int64_t, CertRecord>& certificates() { return certs_; }

 private:
  std::optional<issuance::JobReport> AriCheck(const issuance::JobEnvironment& env,
                                              issuance::IssuerRuntime& issuer,
                                              const store::Domain& domain,
                                              const store::Lease& lease,
                                              const store::CertificateVersion& current);
  issuance::JobReport Order(const issuance::JobEnvironment& env, issuance::IssuerRuntime& issuer,
                            const store::Domain& domain, const store::Lease& lease);
  issuance::JobReport Issue(const issuance::JobEnvironment& env, const store::Domain& domain,
                            const store::Lease& lease);

  const FleetConfig& config_;
  const SimWorld& world_;
  SimAgents& agents_;
  FleetResult& result_;
  CaTraffic& traffic_;
  std::map<store::Id, int> index_;
  std::map<std::int64_t, CertRecord> certs_;
  std::uint64_t attempts_ = 0;
  std::optional<TimePoint> ari_due_;  // this run's renewal information said "renew now"
};

}  // namespace certfleet::sim
