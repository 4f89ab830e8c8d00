#include "issuance/store_challenge_solver.h"

#include <string>

namespace certfleet::issuance {

StoreChallengeSolver::StoreChallengeSolver(store::ChallengeBoard& store, Clock& clock,
                                           store::Id domain_id, std::optional<store::Id> order_id,
                                           Duration ttl)
    : store_(store), clock_(clock), domain_id_(domain_id), order_id_(order_id), ttl_(ttl) {}

Status StoreChallengeSolver::Present(const acme::ChallengeTask& task) {
  if (task.type != Type()) {
    return Fail(ErrorCode::kInvalidArgument,
                task.identifier + ": the store solver answers http-01 only, not " + task.type);
  }
  store::Challenge challenge{
      .token = task.token,
      .key_authorization = task.key_authorization,
      .domain_id = domain_id_,
      .order_id = order_id_,
      .expires_at = clock_.Now() + ttl_,
      .pending = true,
  };
  auto stored = store_.PutChallenge(challenge);
  if (!stored)
    return Fail(stored.error().WithContext(task.identifier + ": storing the http-01 answer"));
  return Ok();
}

Status StoreChallengeSolver::CleanUp(const acme::ChallengeTask& task) {
  auto finished = store_.FinishChallenge(task.token);
  if (!finished && finished.error().code != ErrorCode::kNotFound) {
    return Fail(finished.error().WithContext(task.identifier + ": removing the http-01 answer"));
  }
  return Ok();
}

}  // namespace certfleet::issuance
