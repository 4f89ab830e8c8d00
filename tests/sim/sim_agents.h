// SimAgents: the machines of the fleet simulation (issue 20), each with its agent running
// the agent's real decision (agent::Reconcile, agent::NextAttempt) against what the hub
// holds, and what each machine's nginx serves as the result.
//
// An agent learns of a new certificate at once (the hub's watch stream) when it runs;
// an offline agent converges when it comes back. An install fails while the machine's
// nginx -t fails (the deployer rolls back) and is retried when Reconcile says it is due.
// What nginx serves is tracked per domain, so the result counts the time a certificate was
// served past its notAfter or after its revocation — what a visitor sees.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "agent/reconciler.h"
#include "common/clock.h"
#include "sim/sim_world.h"

namespace certfleet::sim {

// A certificate as the simulation tracks it (the hub's store holds the same).
struct SimCertificate {
  std::int64_t id = 0;
  int domain = 0;
  TimePoint not_before{};
  TimePoint not_after{};
};

// One stretch in which a domain's nginx served a certificate past its notAfter (or after
// its revocation).
struct ServedLapse {
  std::string domain;
  TimePoint from{};
  Duration lapsed{0};
};

class SimAgents {
 public:
  explicit SimAgents(const SimWorld& world);

  // The hub holds `cert` for domain index `domain` (named `name`) from `now` on.
  void Issued(const std::string& name, const SimCertificate& cert, TimePoint now);
  // Runs every agent pass due at `now`.
  void RunDue(TimePoint now);
  // The earliest pass due (a retry, an agent coming back), if any.
  std::optional<TimePoint> NextWake() const;
  // Closes the served stretches at the end of the run.
  void Finish(TimePoint end);

  const std::vector<ServedLapse>& expired() const { return expired_; }
  const std::vector<ServedLapse>& revoked() const { return revoked_; }
  std::int64_t deployments() const { return deployments_; }
  std::int64_t failed_installs() const { return failed_installs_; }

 private:
  struct Served {
    std::string name;
    std::optional<SimCertificate> cert;
    std::optional<TimePoint> revoked_at;
  };
  struct Machine {
    agent::DesiredState desired;
    agent::Inventory inventory;
    agent::AgentMemory memory;
    std::map<std::string, int> domain_index;  // name → domain index
    std::optional<TimePoint> due;
  };

  void Schedule(int machine, TimePoint at);
  void Pass(int machine, TimePoint now);
  void Serve(int domain, const SimCertificate& cert, TimePoint now);
  void Close(int domain, TimePoint until);

  const SimWorld& world_;
  std::vector<Machine> machines_;
  std::vector<Served> served_;  // per domain index
  std::map<std::int64_t, SimCertificate> certs_;
  std::set<std::pair<TimePoint, int>> queue_;  // (due, machine)
  std::vector<ServedLapse> expired_;
  std::vector<ServedLapse> revoked_;
  std::int64_t deployments_ = 0;
  std::int64_t failed_installs_ = 0;
};

}  // namespace certfleet::sim
