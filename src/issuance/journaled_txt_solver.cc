#include "issuance/journaled_txt_solver.h"

#include "acme/challenge.h"

namespace certfleet::issuance {

JournaledTxtSolver::JournaledTxtSolver(solver::Rfc2136Solver& inner, store::ChallengeBoard& board,
                                       Clock& clock, store::Id domain_id)
    : inner_(inner), board_(board), clock_(clock), domain_id_(domain_id) {}

Status JournaledTxtSolver::Present(const acme::ChallengeTask& task) {
  const store::PlacedTxt record{
      domain_id_, inner_.settings().zone, acme::Dns01RecordName(task.identifier),
      acme::Dns01TxtValue(task.key_authorization), clock_.Now() + kPlacedTxtLifetime};
  if (auto recorded = board_.RecordPlacedTxt(record); !recorded) {
    return Fail(recorded.error().WithContext("remembering " + record.name +
                                             " TXT for its removal (nothing was added to zone " +
                                             record.zone + ")"));
  }
  return inner_.Present(task);
}

Status JournaledTxtSolver::CleanUp(const acme::ChallengeTask& task) {
  if (auto deleted = inner_.CleanUp(task); !deleted) return deleted;
  const std::string name = acme::Dns01RecordName(task.identifier);
  if (auto forgotten = board_.ForgetPlacedTxt(inner_.settings().zone, name,
                                              acme::Dns01TxtValue(task.key_authorization));
      !forgotten) {
    return Fail(forgotten.error().WithContext(
        name +
        " TXT was deleted from the zone, but the store still lists it (it is deleted "
        "again later, harmlessly)"));
  }
  return Ok();
}

}  // namespace certfleet::issuance
