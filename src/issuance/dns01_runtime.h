// Dns01Runtime: the hub's DNS-01 machinery, built once from [dns01] and shared by every
// worker thread — one Rfc2136Solver per RFC 2136 zone, the delegation settings (its zone,
// the hubs' responders to wait for, the board its TXT records go to) and the delegation
// check. Each order gets its solvers from ForDomain: a ZoneRouter over the zone table,
// with the delegation zones routed to a DelegationSolver for the domain's label.
//
// Thread safety: const after Create; ForDomain and Check may run concurrently (the
// board and the solvers are thread-safe).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "dns/server_address.h"
#include "issuance/journaled_txt_solver.h"
#include "solver/dns01/delegation_check.h"
#include "solver/dns01/delegation_solver.h"
#include "solver/dns01/dns01_config.h"
#include "solver/dns01/rfc2136_solver.h"
#include "solver/dns01/zone_router.h"

namespace certfleet::issuance {

// What one order uses for DNS-01; `router` points into the other members.
struct DomainDns01Solvers {
  std::unique_ptr<solver::DelegationSolver> delegation;        // null without delegation
  std::vector<std::unique_ptr<JournaledTxtSolver>> journaled;  // one per RFC 2136 zone
  std::unique_ptr<solver::ZoneRouter> router;
};

class Dns01Runtime {
 public:
  // `config` must be valid (solver::ValidateDns01Config). `board` (where delegated
  // records go; null when [dns01.delegation] is absent), `clock` must outlive the runtime.
  // `responders`: the hubs' DNS responders a new delegated record must be answered by
  // before the CA is told (this hub's own and [dns01.delegation] peers).
  static Result<std::unique_ptr<Dns01Runtime>> Create(solver::Dns01Config config,
                                                      solver::DelegatedTxtBoard* board,
                                                      std::vector<dns::ServerAddress> responders,
                                                      Clock& clock);

  const solver::Dns01Config& config() const { return config_; }
  bool has_delegation() const { return config_.delegation.has_value() && board_ != nullptr; }

  // The DNS-01 solvers of one domain (`label`: its delegation label; "" without one).
  // With `placed` (must outlive the result), the RFC 2136 records are remembered there
  // for `domain_id` (journaled_txt_solver.h); without it, they are not.
  DomainDns01Solvers ForDomain(const std::string& label, store::ChallengeBoard* placed = nullptr,
                               store::Id domain_id = 0) const;

  // The RFC 2136 solver of `zone` (as configured); null when [dns01] has no such zone.
  solver::Rfc2136Solver* Rfc2136Zone(const std::string& zone) const;

  // The delegation check of a domain's names (needs has_delegation()).
  solver::DelegationCheck Check(const std::vector<std::string>& names,
                                const std::string& label) const;

 private:
  Dns01Runtime(solver::Dns01Config config, solver::DelegatedTxtBoard* board,
               std::vector<dns::ServerAddress> responders, dns::ServerAddress resolver,
               Clock& clock);

  const solver::Dns01Config config_;
  solver::DelegatedTxtBoard* const board_;
  const std::vector<dns::ServerAddress> responders_;
  const dns::ServerAddress resolver_;
  Clock& clock_;
  std::map<std::string, std::unique_ptr<solver::Rfc2136Solver>> rfc2136_;  // by zone
};

}  // namespace certfleet::issuance
