#include "issuance/housekeeping.h"

#include <spdlog/spdlog.h>

#include "issuance/txt_leftovers.h"

namespace certfleet::issuance {

void Housekeeping::MaybeRun() {
  std::unique_lock lock(mu_, std::try_to_lock);
  if (!lock.owns_lock()) return;
  const TimePoint now = clock_.Now();
  if (last_ && now - *last_ < every_) return;
  last_ = now;
  if (auto deleted = board_.DeleteExpiredChallenges(now); !deleted) {
    spdlog::warn("housekeeping: deleting finished http-01 challenges: {}", deleted.error().message);
  } else if (*deleted > 0) {
    spdlog::debug("housekeeping: deleted {} finished http-01 challenges", *deleted);
  }
  if (dns01_ != nullptr) RemoveExpiredLeftovers(board_, *dns01_, now);
}

}  // namespace certfleet::issuance
