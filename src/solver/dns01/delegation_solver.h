// DelegationSolver: answers DNS-01 (RFC 8555 §8.4) through the zone delegated to the hubs
// (solver/dns01/delegation.h): Present publishes the digest at <label>.<zone> on the
// DelegatedTxtBoard, then waits until the hubs' responders answer it (`wait_for`: this hub's
// and its peers', asked directly) so the CA cannot ask a hub that does not know it yet;
// CleanUp withdraws it. The name and its wildcard share the label, so both digests are
// answered at once. One solver per domain (it carries the domain's label).
//
// Thread safety: Present/CleanUp may run concurrently if the board allows it.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "acme/challenge_solver.h"
#include "common/clock.h"
#include "dns/server_address.h"
#include "solver/dns01/delegation.h"

namespace certfleet::solver {

struct DelegationSolverSettings {
  std::string zone;                          // the delegated zone, canonical
  std::string label;                         // the domain's label
  std::vector<dns::ServerAddress> wait_for;  // responders that must answer first; may be empty
  Duration record_lifetime{std::chrono::hours(1)};  // a crashed order's record stops by itself
  std::chrono::milliseconds wait_timeout{std::chrono::seconds(10)};
};

class DelegationSolver final : public acme::ChallengeSolver {
 public:
  // `board` and `clock` must outlive the solver.
  DelegationSolver(DelegatedTxtBoard& board, DelegationSolverSettings settings, Clock& clock);

  std::string_view Type() const override { return "dns-01"; }
  Status Present(const acme::ChallengeTask& task) override;
  Status CleanUp(const acme::ChallengeTask& task) override;

 private:
  DelegatedTxtBoard& board_;
  const DelegationSolverSettings settings_;
  Clock& clock_;
};

}  // namespace certfleet::solver
