#include "solver/dns01/delegation_solver.h"

#include "acme/challenge.h"
#include "dns/txt_wait.h"

namespace certfleet::solver {

DelegationSolver::DelegationSolver(DelegatedTxtBoard& board, DelegationSolverSettings settings,
                                   Clock& clock)
    : board_(board), settings_(std::move(settings)), clock_(clock) {}

Status DelegationSolver::Present(const acme::ChallengeTask& task) {
  const std::string shown = (task.wildcard ? "*." : "") + task.identifier;
  if (task.type != Type()) {
    return Fail(ErrorCode::kInvalidArgument,
                shown + ": the delegation solver answers dns-01 only, not " + task.type);
  }
  const std::string value = acme::Dns01TxtValue(task.key_authorization);
  auto published =
      board_.Publish(task.token, settings_.label, value, clock_.Now() + settings_.record_lifetime);
  if (!published)
    return Fail(published.error().WithContext("publishing the TXT record for the hubs' DNS"));
  if (settings_.wait_for.empty()) return Ok();
  const dns::TxtWait wait{.servers = settings_.wait_for,
                          .timeout = settings_.wait_timeout,
                          .interval = std::chrono::milliseconds(100)};
  auto served = dns::WaitForTxt(wait, settings_.label + "." + settings_.zone, value, clock_);
  if (!served) return Fail(served.error().WithContext("the hubs' DNS responders"));
  return Ok();
}

Status DelegationSolver::CleanUp(const acme::ChallengeTask& task) {
  return board_.Withdraw(task.token);
}

}  // namespace certfleet::solver
