// JournaledTxtSolver: an RFC 2136 solver for one domain whose records cannot be lost —
// each TXT record is remembered in the store (ChallengeBoard::RecordPlacedTxt) BEFORE the
// update that adds it is sent, and forgotten only after the update that deletes it
// succeeded. A hub killed in between (after the add, while waiting for propagation, just
// after the CA validated) or a delete that failed leaves the record listed, and
// issuance/txt_leftovers.h removes it from the zone later.
//
// One per order step (it carries the domain id); the wrapped solver is shared.
// Thread safety: Present/CleanUp may run concurrently (the store and the solver are safe).
#pragma once

#include "acme/challenge_solver.h"
#include "common/clock.h"
#include "solver/dns01/rfc2136_solver.h"
#include "store/challenge_board.h"

namespace certfleet::issuance {

// How long a placed record is left to its order before housekeeping removes it from the
// zone: far beyond an order's pending step (propagation, then the CA's validation).
inline constexpr Duration kPlacedTxtLifetime = std::chrono::hours(1);

class JournaledTxtSolver final : public acme::ChallengeSolver {
 public:
  // `inner`, `board` and `clock` must outlive the solver.
  JournaledTxtSolver(solver::Rfc2136Solver& inner, store::ChallengeBoard& board, Clock& clock,
                     store::Id domain_id);

  std::string_view Type() const override { return inner_.Type(); }
  bool Covers(std::string_view identifier, bool wildcard) const override {
    return inner_.Covers(identifier, wildcard);
  }
  // Fails without touching the zone when the record cannot be remembered first.
  Status Present(const acme::ChallengeTask& task) override;
  // Deletes the record; forgets it only when the delete succeeded.
  Status CleanUp(const acme::ChallengeTask& task) override;

 private:
  solver::Rfc2136Solver& inner_;  // shared by every order of the zone
  store::ChallengeBoard& board_;
  Clock& clock_;
  const store::Id domain_id_;
};

}  // namespace certfleet::issuance
