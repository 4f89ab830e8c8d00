// StoreChallengeSolver: answers HTTP-01 challenges through the store (DESIGN.md
// pipeline step 3). Present() stores the key authorization; the hub's
// GET /.well-known/acme-challenge/{token} route (Store::FindPendingChallenge) serves it,
// on every hub replica alike. CleanUp() lets it expire kServedAfterCleanUp later, for a CA
// that fetches it again after deciding (see store_challenge_solver.cc).
//
// One solver per order: it carries the domain and order ids the challenges belong to.
// Thread safety: Present/CleanUp may run concurrently (the Store is thread-safe).
#pragma once

#include <optional>
#include <string_view>

#include "acme/challenge_solver.h"
#include "common/clock.h"
#include "store/challenge_board.h"
#include "store/model.h"

namespace certfleet::issuance {

// How long a cleaned-up answer is still served.
constexpr Duration kServedAfterCleanUp = std::chrono::seconds(30);

class StoreChallengeSolver final : public acme::ChallengeSolver {
 public:
  // `store` and `clock` must outlive the solver. A stored challenge is served for at most
  // `ttl` (a crashed worker's challenge stops being served on its own).
  StoreChallengeSolver(store::ChallengeBoard& store, Clock& clock, store::Id domain_id,
                       std::optional<store::Id> order_id, Duration ttl = std::chrono::hours(1));

  std::string_view Type() const override { return "http-01"; }
  Status Present(const acme::ChallengeTask& task) override;
  // Succeeds for a token that was never stored (the ChallengeSolver contract).
  Status CleanUp(const acme::ChallengeTask& task) override;

 private:
  store::ChallengeBoard& store_;
  Clock& clock_;
  const store::Id domain_id_;
  const std::optional<store::Id> order_id_;  // the order the challenges belong to, if any
  const Duration ttl_;
};

}  // namespace certfleet::issuance
