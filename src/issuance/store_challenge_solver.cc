#include "issuance/store_challenge_solver.h"

#include <algorithm>
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

// The answer stays served for kServedAfterCleanUp, then expires (DeleteExpiredChallenges
// removes it). A CA may fetch it again after the authorization was decided: Pebble validates
// once per response, and a hub restarted mid-order responds again, because the CA still shows
// the challenge "pending" while it validates; a fetch that found nothing then turned the valid
// authorization invalid. A key authorization is no secret (anyone could fetch it while it was
// pending), and it authorizes nothing once the authorization is decided.
Status StoreChallengeSolver::CleanUp(const acme::ChallengeTask& task) {
  const TimePoint now = clock_.Now();
  auto served = store_.FindPendingChallenge(task.token, now);
  if (!served) {
    if (served.error().code == ErrorCode::kNotFound) return Ok();  // never presented, or gone
    return Fail(served.error().WithContext(task.identifier + ": reading the http-01 answer"));
  }
  store::Challenge shortened{.token = task.token,
                             .key_authorization = std::move(*served),
                             .domain_id = domain_id_,
                             .order_id = order_id_,
                             .expires_at = now + std::min(ttl_, kServedAfterCleanUp),
                             .pending = true};
  auto kept = store_.PutChallenge(shortened);
  if (!kept)
    return Fail(kept.error().WithContext(task.identifier + ": expiring the http-01 answer"));
  return Ok();
}

}  // namespace certfleet::issuance
