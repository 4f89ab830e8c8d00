#include "issuance/dns01_runtime.h"

#include "dns/resolv_conf.h"

namespace certfleet::issuance {

Result<std::unique_ptr<Dns01Runtime>> Dns01Runtime::Create(
    solver::Dns01Config config, solver::DelegatedTxtBoard* board,
    std::vector<dns::ServerAddress> responders, Clock& clock) {
  dns::ServerAddress resolver;
  bool have_resolver = true;
  if (config.resolver) {
    resolver = *config.resolver;
  } else if (auto system = dns::SystemResolver()) {
    resolver = *system;
  } else if (config.delegation) {
    return Fail(system.error().WithContext("[dns01] resolver (needed for the delegation check)"));
  } else {
    have_resolver = false;  // RFC 2136 zones then fall back to their own default
  }
  for (solver::Dns01ZoneConfig& zone : config.zones) {
    if (have_resolver && !zone.rfc2136.resolver) zone.rfc2136.resolver = resolver;
  }
  return std::unique_ptr<Dns01Runtime>(
      new Dns01Runtime(std::move(config), board, std::move(responders), resolver, clock));
}

Dns01Runtime::Dns01Runtime(solver::Dns01Config config, solver::DelegatedTxtBoard* board,
                           std::vector<dns::ServerAddress> responders, dns::ServerAddress resolver,
                           Clock& clock)
    : config_(std::move(config)),
      board_(board),
      responders_(std::move(responders)),
      resolver_(std::move(resolver)),
      clock_(clock) {
  for (const solver::Dns01ZoneConfig& zone : config_.zones) {
    if (zone.kind != solver::Dns01SolverKind::kRfc2136) continue;
    rfc2136_[zone.zone] = std::make_unique<solver::Rfc2136Solver>(zone.rfc2136, clock_);
  }
}

DomainDns01Solvers Dns01Runtime::ForDomain(const std::string& label, store::ChallengeBoard* placed,
                                           store::Id domain_id) const {
  DomainDns01Solvers solvers;
  if (has_delegation() && !label.empty()) {
    solvers.delegation = std::make_unique<solver::DelegationSolver>(
        *board_,
        solver::DelegationSolverSettings{
            .zone = config_.delegation->zone, .label = label, .wait_for = responders_},
        clock_);
  }
  std::vector<solver::ZoneRoute> routes;
  for (const solver::Dns01ZoneConfig& zone : config_.zones) {
    acme::ChallengeSolver* target = nullptr;
    if (zone.kind == solver::Dns01SolverKind::kRfc2136 && placed != nullptr) {
      solvers.journaled.push_back(std::make_unique<JournaledTxtSolver>(*rfc2136_.at(zone.zone),
                                                                       *placed, clock_, domain_id));
      target = solvers.journaled.back().get();
    } else if (zone.kind == solver::Dns01SolverKind::kRfc2136) {
      target = rfc2136_.at(zone.zone).get();
    } else {
      target = solvers.delegation.get();
    }
    if (target != nullptr) routes.push_back({zone.zone, target});
  }
  solvers.router = std::make_unique<solver::ZoneRouter>(std::move(routes));
  return solvers;
}

solver::Rfc2136Solver* Dns01Runtime::Rfc2136Zone(const std::string& zone) const {
  auto it = rfc2136_.find(zone);
  return it == rfc2136_.end() ? nullptr : it->second.get();
}

solver::DelegationCheck Dns01Runtime::Check(const std::vector<std::string>& names,
                                            const std::string& label) const {
  solver::DelegationChecker checker(*board_,
                                    {.resolver = resolver_,
                                     .zone = config_.delegation->zone,
                                     .nameservers = config_.delegation->nameservers},
                                    clock_);
  return checker.Check(names, label);
}

}  // namespace certfleet::issuance
